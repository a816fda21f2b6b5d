"""Availability and the catalog answer repeats with 304 from the versions the feeds keep."""

from datetime import timedelta

import pytest

from sharing.api.base import API_ANSWERS
from tests.conftest import count_queries
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


@pytest.fixture
def setting(make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    other = weekday_instrument(make, manager)
    researcher = make.user("researcher")
    day = next_weekday()
    return {
        "instrument": instrument,
        "other": other,
        "as_manager": token_for(manager),
        "as_researcher": token_for(researcher),
        "day": day,
        "availability": (
            f"/api/v1/instruments/{instrument.id}/availability"
            f"?from={(day - timedelta(days=1)).date()}T00:00:00%2B08:00"
            f"&to={(day + timedelta(days=7)).date()}T00:00:00%2B08:00"
        ),
    }


def revalidate(client, path, etag, headers):
    return client.get(path, headers={**headers, "If-None-Match": etag})


def book(client, setting, instrument, hour):
    body = {
        "instrument_id": instrument.id,
        "start": at(setting["day"], hour),
        "end": at(setting["day"], hour + 1),
    }
    response = client.post("/api/v1/bookings", json=body, headers=setting["as_researcher"])
    assert response.status_code == 201, response.json


def rename(client, setting, name):
    """The manager renames the setting's instrument through the API (the catalog moves)."""
    renamed = client.patch(
        f"/api/v1/instruments/{setting['instrument'].id}",
        json={"name": name},
        headers=setting["as_manager"],
    )
    assert renamed.status_code == 200, renamed.json


def test_availability_repeats_are_304_until_the_schedule_changes(client, setting):
    path, headers = setting["availability"], setting["as_researcher"]
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    repeat = revalidate(client, path, etag, headers)
    assert repeat.status_code == 304
    assert repeat.data == b""
    assert repeat.headers["ETag"] == etag

    book(client, setting, setting["other"], 9)  # another instrument's schedule
    assert revalidate(client, path, etag, headers).status_code == 304

    book(client, setting, setting["instrument"], 9)
    changed = revalidate(client, path, etag, headers)
    assert changed.status_code == 200
    assert len(changed.json["busy"]) == len(first.json["busy"]) + 1
    assert changed.headers["ETag"] != etag


def test_availability_changes_with_downtime_and_open_hours(client, setting):
    path, headers = setting["availability"], setting["as_researcher"]
    etag = client.get(path, headers=headers).headers["ETag"]
    instrument = setting["instrument"]
    downtime = client.post(
        f"/api/v1/instruments/{instrument.id}/downtimes",
        json={"start": at(setting["day"], 12), "end": at(setting["day"], 13), "reason": "泵检修"},
        headers=setting["as_manager"],
    )
    assert downtime.status_code == 201, downtime.json
    after_downtime = revalidate(client, path, etag, headers)
    assert after_downtime.status_code == 200
    etag = after_downtime.headers["ETag"]

    edit = client.patch(
        f"/api/v1/instruments/{instrument.id}",
        json={"rules": {"open_hours": [{"weekday": 0, "start": "09:00", "end": "17:00"}]}},
        headers=setting["as_manager"],
    )
    assert edit.status_code == 200, edit.json
    after_edit = revalidate(client, path, etag, headers)
    assert after_edit.status_code == 200
    assert after_edit.json["open_hours"] == [{"weekday": 0, "start": "09:00", "end": "17:00"}]


def test_managers_who_see_names_get_their_own_etag(client, setting):
    path = setting["availability"]
    book(client, setting, setting["instrument"], 9)
    researcher = client.get(path, headers=setting["as_researcher"])
    manager_copy = revalidate(client, path, researcher.headers["ETag"], setting["as_manager"])
    assert manager_copy.status_code == 200
    assert manager_copy.headers["ETag"] != researcher.headers["ETag"]


def test_catalog_repeats_are_304_until_an_instrument_changes(client, setting, make, token_for):
    path, headers = "/api/v1/instruments?per_page=20", setting["as_researcher"]
    first = client.get(path, headers=headers)
    etag = first.headers["ETag"]
    assert revalidate(client, path, etag, headers).status_code == 304
    other_page = client.get(path + "&page=2", headers={**headers, "If-None-Match": etag})
    assert other_page.status_code == 200

    book(client, setting, setting["instrument"], 9)  # bookings are not in the catalog
    assert revalidate(client, path, etag, headers).status_code == 304

    rename(client, setting, "改名的质谱仪")
    changed = revalidate(client, path, etag, headers)
    assert changed.status_code == 200
    assert "改名的质谱仪" in {item["name"] for item in changed.json["items"]}
    etag = changed.headers["ETag"]

    repriced = client.patch(
        f"/api/v1/instruments/{setting['instrument'].id}",
        json={"rates": [{"category": "academic", "unit": "hour", "price": "260.00"}]},
        headers=setting["as_manager"],
    )
    assert repriced.status_code == 200, repriced.json
    assert revalidate(client, path, etag, headers).status_code == 200


def test_catalog_etag_follows_the_callers_price_category(client, setting, make, token_for):
    path = "/api/v1/instruments?per_page=20"
    academic = client.get(path, headers=setting["as_researcher"]).headers["ETag"]
    company = make.org(kind="enterprise")
    buyer = token_for(make.user("researcher", company))
    assert revalidate(client, path, academic, buyer).status_code == 200


def test_availability_marks_the_callers_own_bookings_and_the_buffer(client, make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"buffer_minutes": 30})
    day = next_weekday()
    me, other = make.user("researcher"), make.user("researcher")
    for who, hour in ((me, 9), (other, 13)):
        body = {"instrument_id": instrument.id, "start": at(day, hour), "end": at(day, hour + 1)}
        assert client.post("/api/v1/bookings", json=body, headers=token_for(who)).status_code == 201
    next_day = (day + timedelta(days=1)).date()
    path = (
        f"/api/v1/instruments/{instrument.id}/availability"
        f"?from={day.date()}T00:00:00%2B08:00&to={next_day}T00:00:00%2B08:00"
    )
    mine, theirs = client.get(path, headers=token_for(me)).json["busy"]
    assert mine["mine"] is True and "user" not in mine
    assert mine["booked_until"] == at(day, 10) and mine["end"] == at(day, 10, 30)
    assert "mine" not in theirs and "booking_id" not in theirs
    anonymous = client.get(path).json["busy"]
    assert all("mine" not in entry for entry in anonymous)


def test_a_repeat_without_a_copy_is_sent_the_kept_answer_until_a_change(client, setting):
    path, headers = "/api/v1/instruments?per_page=20", setting["as_researcher"]
    first = client.get(path, headers=headers)
    with count_queries() as statements:
        again = client.get(path, headers=headers)
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    # The token and the version: no search, no records, no serialising.
    assert not [s for s in statements if "FROM instruments" in s], statements
    rename(client, setting, "改名的质谱仪")
    changed = client.get(path, headers=headers)
    assert "改名的质谱仪" in {item["name"] for item in changed.json["items"]}
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_kept_answers_are_each_callers_own(client, setting, make, token_for):
    path = setting["availability"]
    book(client, setting, setting["instrument"], 9)
    mine = client.get(path, headers=setting["as_researcher"])
    assert [entry.get("mine") for entry in mine.json["busy"]] == [True]
    someone_else = client.get(path, headers=token_for(make.user("researcher")))
    assert [entry.get("mine") for entry in someone_else.json["busy"]] == [None]
    assert someone_else.headers["ETag"] != mine.headers["ETag"]
    managed = client.get(path, headers=setting["as_manager"])
    assert "user" in managed.json["busy"][0]
    anonymous = client.get(path)
    assert "user" not in anonymous.json["busy"][0] and "mine" not in anonymous.json["busy"][0]
    assert client.get(path, headers=setting["as_researcher"]).data == mine.data


def test_answers_are_kept_only_when_they_succeed(client, setting):
    missing = (
        "/api/v1/instruments/999999/availability?from=2027-01-01T00:00:00Z&to=2027-01-02T00:00:00Z"
    )
    assert client.get(missing).status_code == 404
    assert client.get(missing).status_code == 404
    backwards = setting["availability"].replace("from=", "x=").replace("to=", "from=")
    assert client.get(backwards).status_code == 400
    assert API_ANSWERS.size == 0
