"""Quotas through the API, counted in SQL: what counts, what does not, and what is never read."""

from datetime import timedelta

import pytest
from sqlalchemy import insert

from sharing.bookings.models import Booking
from sharing.bookings.services.standing import future_bookings, own_intervals, quota_weeks
from sharing.extensions import db
from sharing.timeutil import Interval, utcnow
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


def book(client, instrument, day, start_hour, end_hour, headers):
    body = {"instrument_id": instrument.id, "start": at(day, start_hour), "end": at(day, end_hour)}
    return client.post("/api/v1/bookings", json=body, headers=headers)


def stored(instrument, user, start, hours=1, status="approved"):
    """A booking written straight to the table (e.g. one that lies in the past)."""
    db.session.execute(
        insert(Booking),
        [
            {
                "instrument_id": instrument.id,
                "user_id": user.id,
                "created_by_id": user.id,
                "start": start,
                "end": start + timedelta(hours=hours),
                "blocked_until": start + timedelta(hours=hours),
                "status": status,
                "purpose": "",
                "on_behalf": False,
                "sequence": 0,
                "created_at": start,
                "updated_at": start,
            }
        ],
    )
    db.session.commit()


@pytest.fixture
def monday():
    day = next_weekday(days_ahead=7)
    return day - timedelta(days=day.weekday())  # the Monday of that week, local midnight


def codes(response):
    return [v["code"] for v in response.json["error"].get("violations", [])]


def test_future_bookings_count_only_active_unfinished_ones_of_this_instrument(
    client, make, token_for, monday
):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"max_future_bookings": 2})
    elsewhere = weekday_instrument(make, manager)
    researcher = make.user("researcher")
    headers = token_for(researcher)
    stored(instrument, researcher, utcnow() - timedelta(days=3))  # over
    stored(instrument, researcher, utcnow() + timedelta(days=30), status="cancelled")
    stored(elsewhere, researcher, utcnow() + timedelta(days=30))
    assert book(client, instrument, monday, 9, 10, headers).status_code == 201
    assert book(client, instrument, monday, 11, 12, headers).status_code == 201
    third = book(client, instrument, monday, 13, 14, headers)
    assert third.status_code == 422
    assert codes(third) == ["quota_exceeded"]
    for_her = {
        "instrument_id": instrument.id,
        "start": at(monday, 13),
        "end": at(monday, 14),
        "user_id": researcher.id,
    }
    # Quotas do not bind a manager booking on her behalf.
    behalf = client.post("/api/v1/bookings", json=for_her, headers=token_for(manager))
    assert behalf.status_code == 201


def test_weekly_hours_count_the_weeks_the_request_touches(client, make, token_for, monday):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"max_hours_per_week": 3})
    researcher = make.user("researcher")
    headers = token_for(researcher)
    stored(instrument, researcher, monday + timedelta(weeks=10, hours=9), hours=10)  # far off
    assert book(client, instrument, monday, 9, 11, headers).status_code == 201
    tuesday = monday + timedelta(days=1)
    refused = book(client, instrument, tuesday, 9, 11, headers)
    assert refused.status_code == 422
    assert codes(refused) == ["quota_exceeded"]
    assert book(client, instrument, tuesday, 9, 10, headers).status_code == 201
    next_tuesday = tuesday + timedelta(weeks=1)
    assert book(client, instrument, next_tuesday, 9, 12, headers).status_code == 201


def test_quota_reads_are_bounded_by_the_request_not_the_history(app, make, monday):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    researcher = make.user("researcher")
    for week in range(12):
        stored(instrument, researcher, monday + timedelta(weeks=week, hours=9))
    span = quota_weeks(Interval(monday + timedelta(hours=9), monday + timedelta(hours=10)))
    assert span.end - span.start == timedelta(weeks=1)
    assert len(own_intervals(researcher.id, instrument.id, span)) == 1
    # Counting stops at the cap the rule asks about.
    assert future_bookings(researcher.id, instrument.id, utcnow(), cap=3) == 3
    assert future_bookings(researcher.id, instrument.id, utcnow(), cap=50) == 12
