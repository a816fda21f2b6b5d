"""Bookings through the API: requests, conflicts with suggestions, rules, workflow, visibility."""

import pytest
from sqlalchemy import select

from sharing.bookings.models import Booking, BookingEvent
from sharing.extensions import db
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


@pytest.fixture
def setting(make, token_for):
    """An instrument, its manager and a researcher from elsewhere, with tokens."""
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    researcher = make.user("researcher")
    return {
        "instrument": instrument,
        "manager": manager,
        "researcher": researcher,
        "as_manager": token_for(manager),
        "as_researcher": token_for(researcher),
        "day": next_weekday(),
    }


def book(client, setting, start_hour, end_hour, headers=None, **extra):
    day = setting["day"]
    body = {
        "instrument_id": setting["instrument"].id,
        "start": at(day, start_hour),
        "end": at(day, end_hour),
        "purpose": "XPS of coatings",
        **extra,
    }
    return client.post("/api/v1/bookings", json=body, headers=headers or setting["as_researcher"])


def test_request_is_confirmed_at_once_without_approval(client, setting):
    response = book(client, setting, 9, 11)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "approved"
    assert body["start"] == at(setting["day"], 9)
    assert body["user_id"] == setting["researcher"].id
    assert set(body) >= {"id", "instrument_id", "user_id", "start", "end", "status", "purpose"}


def test_requests_start_pending_when_approval_is_required(client, make, setting, token_for):
    manager = setting["manager"]
    instrument = weekday_instrument(make, manager, requires_approval=True)
    response = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument.id,
            "start": at(setting["day"], 9),
            "end": at(setting["day"], 10),
        },
        headers=setting["as_researcher"],
    )
    assert response.status_code == 201
    assert response.json["status"] == "pending"
    booking_id = response.json["id"]
    researcher_tries = client.post(
        f"/api/v1/bookings/{booking_id}/approve", headers=setting["as_researcher"]
    )
    assert researcher_tries.status_code == 403
    approved = client.post(
        f"/api/v1/bookings/{booking_id}/approve",
        json={"reason": "ok"},
        headers=setting["as_manager"],
    )
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    again = client.post(f"/api/v1/bookings/{booking_id}/approve", headers=setting["as_manager"])
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    history = client.get(
        f"/api/v1/bookings/{booking_id}/history", headers=setting["as_researcher"]
    ).json["items"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "pending"),
        ("pending", "approved"),
    ]
    assert history[1]["actor"]["id"] == manager.id and history[1]["reason"] == "ok"


def test_overlap_is_409_with_conflicts_and_bookable_suggestions(client, setting):
    assert book(client, setting, 9, 11).status_code == 201
    clash = book(client, setting, 10, 12)
    assert clash.status_code == 409
    error = clash.json["error"]
    assert error["code"] == "conflict"
    assert error["conflicts"] == [
        {"start": at(setting["day"], 9), "end": at(setting["day"], 11), "kind": "booking"}
    ]
    assert len(error["suggestions"]) == 3
    for suggestion in error["suggestions"]:
        response = client.post(
            "/api/v1/bookings",
            json={"instrument_id": setting["instrument"].id, **suggestion},
            headers=setting["as_researcher"],
        )
        assert response.status_code == 201, (suggestion, response.json)


def test_suggestions_skip_busy_time_outside_the_requested_range(client, setting):
    # Hours taken around the wanted one: suggestions may only use 9:00 and 16:00 onwards.
    taken = (8, 10, 11, 12, 13, 14, 15)
    for start in taken:
        assert book(client, setting, start, start + 1).status_code == 201
    clash = book(client, setting, 10, 11)
    assert clash.status_code == 409
    suggestions = clash.json["error"]["suggestions"]
    assert len(suggestions) == 3
    for suggestion in suggestions:
        assert suggestion["start"] not in {at(setting["day"], hour) for hour in taken}
        response = client.post(
            "/api/v1/bookings",
            json={"instrument_id": setting["instrument"].id, **suggestion},
            headers=setting["as_researcher"],
        )
        assert response.status_code == 201, (suggestion, response.json)


def test_touching_bookings_do_not_collide(client, setting):
    assert book(client, setting, 9, 11).status_code == 201
    assert book(client, setting, 11, 12).status_code == 201
    assert book(client, setting, 8, 9).status_code == 201


def test_rule_violations_are_422_with_codes_and_sentences(client, setting):
    response = book(client, setting, 7, 21)
    assert response.status_code == 422
    codes = [v["code"] for v in response.json["error"]["violations"]]
    assert codes == ["too_long", "outside_open_hours"]
    assert all(v["message"] for v in response.json["error"]["violations"])
    client.set_cookie("lang", "en")
    english = book(client, setting, 7, 21).json["error"]["violations"][0]["message"]
    assert english == "A booking may last at most 480 minutes."


def test_malformed_requests_are_400(client, setting):
    for body in (
        {},
        {"instrument_id": setting["instrument"].id, "start": "tomorrow", "end": "later"},
        {
            "instrument_id": setting["instrument"].id,
            "start": at(setting["day"], 10),
            "end": at(setting["day"], 9),
        },
        {"instrument_id": "one", "start": at(setting["day"], 9), "end": at(setting["day"], 10)},
    ):
        response = client.post("/api/v1/bookings", json=body, headers=setting["as_researcher"])
        assert response.status_code == 400, body
        assert response.json["error"]["code"] == "bad_request"
    missing = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": 99999,
            "start": at(setting["day"], 9),
            "end": at(setting["day"], 10),
        },
        headers=setting["as_researcher"],
    )
    assert missing.status_code == 404


def test_visibility_of_bookings(client, make, setting, token_for):
    booking_id = book(client, setting, 9, 10).json["id"]
    stranger = token_for(make.user("researcher"))
    other_manager = token_for(make.user("manager"))
    assert client.get(f"/api/v1/bookings/{booking_id}", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/bookings/{booking_id}", headers=other_manager).status_code == 404
    assert (
        client.get(f"/api/v1/bookings/{booking_id}", headers=setting["as_manager"]).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/bookings/{booking_id}", headers=token_for(make.admin())).status_code
        == 200
    )
    assert client.post(f"/api/v1/bookings/{booking_id}/cancel", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/bookings/{booking_id}/history", headers=stranger).status_code == 404
    assert client.get("/api/v1/bookings", headers=stranger).json["total"] == 0
    assert client.get("/api/v1/bookings", headers=setting["as_manager"]).json["total"] == 1


def test_cancel_then_illegal_transitions(client, setting):
    booking_id = book(client, setting, 9, 10).json["id"]
    cancelled = client.post(
        f"/api/v1/bookings/{booking_id}/cancel",
        json={"reason": "plans changed"},
        headers=setting["as_researcher"],
    )
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    for action, headers in (
        ("cancel", "as_researcher"),
        ("approve", "as_manager"),
        ("reject", "as_manager"),
    ):
        response = client.post(f"/api/v1/bookings/{booking_id}/{action}", headers=setting[headers])
        assert response.status_code == 409, action
        assert response.json["error"]["code"] == "invalid_state"
    assert book(client, setting, 9, 10).status_code == 201  # the time is free again


def test_manager_books_on_behalf_past_and_outside_hours(client, setting):
    researcher = setting["researcher"]
    day = setting["day"]
    saturday_night = {"start": at(day, 21), "end": at(day, 23)}
    response = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": setting["instrument"].id,
            "user_id": researcher.id,
            **saturday_night,
        },
        headers=setting["as_manager"],
    )
    assert response.status_code == 201, response.json
    assert response.json["status"] == "approved" and response.json["user_id"] == researcher.id
    walk_in = {"start": "2026-01-05T09:00:00+08:00", "end": "2026-01-05T11:00:00+08:00"}
    past = client.post(
        "/api/v1/bookings",
        json={"instrument_id": setting["instrument"].id, "user_id": researcher.id, **walk_in},
        headers=setting["as_manager"],
    )
    assert past.status_code == 201
    overlap = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": setting["instrument"].id,
            "user_id": researcher.id,
            **saturday_night,
        },
        headers=setting["as_manager"],
    )
    assert overlap.status_code == 409  # never overlaps
    not_manager = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": setting["instrument"].id,
            "user_id": setting["manager"].id,
            **saturday_night,
        },
        headers=setting["as_researcher"],
    )
    assert not_manager.status_code == 403


def test_repeat_series_all_or_nothing(client, setting):
    weekly = book(client, setting, 9, 10, repeat={"freq": "weekly", "count": 4})
    assert weekly.status_code == 201, weekly.json
    items = weekly.json["items"]
    assert len(items) == 4 and len({i["start"][11:16] for i in items}) == 1
    assert len({b.series_id for b in db.session.scalars(select(Booking))}) == 1
    daily = book(client, setting, 9, 10, repeat={"freq": "daily", "count": 3})
    assert daily.status_code in (409, 422)
    occurrences = daily.json["error"]["occurrences"]
    assert occurrences[0]["start"] == at(setting["day"], 9)
    assert db.session.scalar(select(db.func.count(Booking.id))) == 4  # nothing of the second series


def test_repeat_names_every_failing_occurrence(client, setting):
    day = setting["day"]
    # A daily series from a Friday runs into the weekend: Saturday and Sunday are closed.
    friday = day
    while friday.weekday() != 4:
        friday = friday.replace(day=friday.day) + __import__("datetime").timedelta(days=1)
    response = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": setting["instrument"].id,
            "start": at(friday, 9),
            "end": at(friday, 10),
            "repeat": {"freq": "daily", "count": 4},
        },
        headers=setting["as_researcher"],
    )
    assert response.status_code == 422
    failing = response.json["error"]["occurrences"]
    assert len(failing) == 2
    assert all(o["violations"][0]["code"] == "outside_open_hours" for o in failing)


def test_bulk_decisions(client, make, setting):
    instrument = weekday_instrument(make, setting["manager"], requires_approval=True)
    ids = [
        client.post(
            "/api/v1/bookings",
            json={
                "instrument_id": instrument.id,
                "start": at(setting["day"], h),
                "end": at(setting["day"], h + 1),
            },
            headers=setting["as_researcher"],
        ).json["id"]
        for h in (9, 11)
    ]
    response = client.post(
        "/api/v1/bookings/decisions",
        json={"ids": [*ids, 99999], "decision": "approve", "reason": "batch"},
        headers=setting["as_manager"],
    )
    assert response.status_code == 200
    results = response.json["items"]
    assert [r["ok"] for r in results] == [True, True, False]
    assert results[2]["error"] == "not_found"
    events = db.session.scalars(select(BookingEvent).where(BookingEvent.reason == "batch")).all()
    assert len(events) == 2


def test_availability_hides_people_from_others(client, make, setting, token_for):
    book(client, setting, 9, 10)
    day, instrument_id = setting["day"], setting["instrument"].id
    window = f"from={at(day, 0)}&to={at(day, 23)}".replace("+", "%2B")
    url = f"/api/v1/instruments/{instrument_id}/availability?{window}"
    public = client.get(url).json
    assert public["busy"] == [
        {"start": at(setting["day"], 9), "end": at(setting["day"], 10), "kind": "booking"}
    ]
    assert len(public["open_hours"]) == 5
    detailed = client.get(url, headers=setting["as_manager"]).json["busy"][0]
    assert detailed["user"] == setting["researcher"].name and detailed["status"] == "approved"
    assert client.get(url.split("?")[0] + "?from=x&to=y").status_code == 400


def test_free_slots(client, setting):
    book(client, setting, 8, 12)
    after = at(setting["day"], 0).replace("+", "%2B")
    query = f"duration_minutes=120&limit=2&after={after}"
    url = f"/api/v1/instruments/{setting['instrument'].id}/free-slots?{query}"
    slots = client.get(url, headers=setting["as_researcher"]).json["items"]
    assert slots == [
        {"start": at(setting["day"], 12), "end": at(setting["day"], 14)},
        {"start": at(setting["day"], 14), "end": at(setting["day"], 16)},
    ]
    assert client.get(url.replace("duration_minutes=120", "duration_minutes=0")).status_code == 400


def test_downtime_lists_affected_bookings_and_cancels_them(client, app, setting):
    booking_id = book(client, setting, 9, 10).json["id"]
    response = client.post(
        f"/api/v1/instruments/{setting['instrument'].id}/downtimes",
        json={
            "start": at(setting["day"], 8),
            "end": at(setting["day"], 12),
            "reason": "Vacuum pump service",
        },
        headers=setting["as_manager"],
    )
    assert response.status_code == 201, response.json
    assert response.json["affected_bookings"] == [booking_id]
    assert book(client, setting, 10, 11).json["error"]["conflicts"][0]["kind"] == "downtime"
    cancelled = client.post(
        f"/api/v1/downtimes/{response.json['id']}/cancel-affected",
        json={"reason": "pump service"},
        headers=setting["as_manager"],
    )
    assert cancelled.json == {"cancelled": [booking_id]}
    assert (
        client.get(f"/api/v1/bookings/{booking_id}", headers=setting["as_researcher"]).json[
            "status"
        ]
        == "cancelled"
    )
    forbidden = client.post(
        f"/api/v1/instruments/{setting['instrument'].id}/downtimes",
        json={"start": at(setting["day"], 8), "end": at(setting["day"], 12)},
        headers=setting["as_researcher"],
    )
    assert forbidden.status_code == 403
    assert (
        client.delete(
            f"/api/v1/downtimes/{response.json['id']}", headers=setting["as_researcher"]
        ).status_code
        == 404
    )
    assert (
        client.delete(
            f"/api/v1/downtimes/{response.json['id']}", headers=setting["as_manager"]
        ).status_code
        == 204
    )
    assert book(client, setting, 10, 11).status_code == 201
