"""A platform zone with daylight saving time: rules and answers follow the zone's wall clock."""

import pytest

from tests.fixtures.bookings import weekday_instrument


@pytest.fixture
def app_config():
    return {"SHARING_TIMEZONE": "Europe/Berlin"}


def test_open_hours_follow_berlin_wall_clock_across_the_dst_change(client, make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"horizon_days": 730})
    headers = token_for(manager)

    def book_for_self(start, end):
        return client.post(
            "/api/v1/bookings",
            json={
                "instrument_id": instrument.id,
                "start": start,
                "end": end,
                "user_id": make.user().id,
            },
            headers=headers,
        )

    # Managers book in the past too, so fixed dates around the 2026 changes work at any time.
    summer = book_for_self("2026-10-23T08:00:00", "2026-10-23T09:00:00")  # Friday, CEST
    winter = book_for_self("2026-10-26T08:00:00", "2026-10-26T09:00:00")  # Monday, CET
    assert summer.status_code == winter.status_code == 201
    assert summer.json["start"] == "2026-10-23T08:00:00+02:00"
    assert winter.json["start"] == "2026-10-26T08:00:00+01:00"
    # A researcher's request is judged on Berlin's wall clock: 06:00 UTC is 08:00 in summer
    # time (open) but 07:00 in winter time (closed).
    researcher = token_for(make.user())
    response = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument.id,
            "start": "2027-03-29T06:00:00Z",
            "end": "2027-03-29T07:00:00Z",
        },
        headers=researcher,
    )
    assert response.status_code == 201, response.json  # 08:00-09:00 CEST, inside open hours
    assert response.json["start"] == "2027-03-29T08:00:00+02:00"
    earlier = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument.id,
            "start": "2027-03-22T06:00:00Z",
            "end": "2027-03-22T07:00:00Z",
        },
        headers=researcher,
    )
    assert earlier.status_code == 422  # the same UTC hour is 07:00 CET a week earlier: closed
    assert [v["code"] for v in earlier.json["error"]["violations"]] == ["outside_open_hours"]
