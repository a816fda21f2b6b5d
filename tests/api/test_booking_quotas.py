"""Quotas through the API, counted in SQL: what counts, what does not, and what is never read."""

from datetime import timedelta

import pytest
from sqlalchemy import insert

from sharing.bookings.models import Booking
from sharing.bookings.policy import booked_by_week
from sharing.bookings.services.standing import (
    WEEKS_SUMMED_IN_SQL,
    _quota_arms,
    booked_in_weeks,
    future_bookings,
    quota_weeks,
    union_of,
)
from sharing.extensions import db
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, utcnow
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


def book(client, instrument, day, start_hour, end_hour, headers):
    body = {"instrument_id": instrument.id, "start": at(day, start_hour), "end": at(day, end_hour)}
    return client.post("/api/v1/bookings", json=body, headers=headers)


def stored(instrument, user, start, hours=1, status="approved", end=None):
    """A booking written straight to the table (e.g. one that lies in the past)."""
    end = end or start + timedelta(hours=hours)
    db.session.execute(
        insert(Booking),
        [
            {
                "instrument_id": instrument.id,
                "user_id": user.id,
                "created_by_id": user.id,
                "start": start,
                "end": end,
                "blocked_until": end,
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
    wanted = Interval(monday + timedelta(hours=9), monday + timedelta(hours=10))
    booked = booked_in_weeks(researcher.id, instrument.id, [wanted])
    assert booked == {quota_weeks([wanted])[0].start: timedelta(hours=1)}
    # Counting stops at the cap the rule asks about.
    assert future_bookings(researcher.id, instrument.id, utcnow(), cap=3) == 3
    assert future_bookings(researcher.id, instrument.id, utcnow(), cap=50) == 12


def held_across_weeks(make, monday):
    """An instrument and a researcher whose bookings cross week boundaries at odd microseconds,
    beside bookings that must not count (cancelled, another user's, another instrument's).
    Returns the instrument, the researcher and the intervals that count."""
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"max_hours_per_week": 40})
    elsewhere = weekday_instrument(make, manager)
    researcher, colleague = make.user("researcher"), make.user("researcher")
    odd = timedelta(microseconds=123457)
    counted = [
        Interval(monday + timedelta(hours=9) + odd, monday + timedelta(hours=11, microseconds=1)),
        # Sunday 23:30 to Monday 00:45 local: 30 minutes in one week, 45 in the next.
        Interval(
            monday + timedelta(days=6, hours=23, minutes=30) + odd,
            monday + timedelta(days=7, minutes=45),
        ),
        Interval(
            monday + timedelta(weeks=2, hours=14), monday + timedelta(weeks=2, hours=17) - odd
        ),
    ]
    for interval in counted:
        stored(instrument, researcher, interval.start, end=interval.end)
    stored(instrument, researcher, monday + timedelta(days=1, hours=9), status="cancelled")
    stored(instrument, colleague, monday + timedelta(days=2, hours=9))
    stored(elsewhere, researcher, monday + timedelta(days=3, hours=9))
    return instrument, researcher, counted


@pytest.mark.parametrize("weeks", [4, WEEKS_SUMMED_IN_SQL + 2], ids=["summed-in-sql", "read-rows"])
def test_week_sums_match_the_rules_own_fold_to_the_microsecond(app, make, monday, weeks):
    instrument, researcher, counted = held_across_weeks(make, monday)
    wanted = [Interval(monday + timedelta(hours=9), monday + timedelta(weeks=weeks - 1, hours=10))]
    asked = quota_weeks(wanted)
    assert len(asked) == weeks
    expected = booked_by_week(counted, platform_zone())
    booked = booked_in_weeks(researcher.id, instrument.id, wanted)
    assert booked == {week.start: expected.get(week.start, timedelta(0)) for week in asked}
    assert booked[asked[0].start] == timedelta(hours=2, minutes=30, microseconds=1 - 2 * 123457)
    assert booked[asked[1].start] == timedelta(minutes=45)
    assert booked[asked[3].start] == timedelta(0)  # a week with nothing booked reads as nothing


def test_a_week_of_many_bookings_is_read_as_one_row(app, make, monday):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"max_hours_per_week": 40})
    researcher = make.user("researcher")
    for slot in range(40):
        day, hour = divmod(slot, 8)
        stored(instrument, researcher, monday + timedelta(days=day, hours=9 + hour))
    wanted = [Interval(monday + timedelta(hours=9), monday + timedelta(hours=10))]
    arms, params = _quota_arms(researcher.id, instrument.id, quota_weeks(wanted))
    rows = db.session.execute(union_of(arms), params).all()
    assert [(kind, int(total)) for kind, total, _start, _end in rows] == [
        ("week", 40 * 3600 * 10**6)
    ]


def test_a_week_filled_to_the_microsecond_refuses_and_one_filled_exactly_accepts(
    client, make, token_for, monday
):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, rules={"max_hours_per_week": 2})
    researcher = make.user("researcher")
    headers = token_for(researcher)
    tuesday, next_tuesday = monday + timedelta(days=1), monday + timedelta(days=8)
    one_hour_and_a_bit = timedelta(hours=1, microseconds=1)
    stored(
        instrument,
        researcher,
        tuesday + timedelta(hours=9),
        end=tuesday + timedelta(hours=9) + one_hour_and_a_bit,
    )
    stored(instrument, researcher, next_tuesday + timedelta(hours=9))
    refused = book(client, instrument, monday, 9, 10, headers)
    assert refused.status_code == 422
    assert codes(refused) == ["quota_exceeded"]
    next_monday = monday + timedelta(weeks=1)
    assert book(client, instrument, next_monday, 9, 10, headers).status_code == 201
