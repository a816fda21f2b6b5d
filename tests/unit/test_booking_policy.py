"""The booking rules at their boundaries, in the platform zone (and a zone with DST)."""

from datetime import UTC, datetime, timedelta

import pytest

from sharing.bookings.policy import (
    OpenCalendar,
    Requester,
    booked_by_week,
    check_request,
    week_of,
    weeks_touched,
)
from sharing.instruments.rules import BookingRules, OpenWindow
from sharing.util.timeutil import Interval, load_zone

SHANGHAI = load_zone("Asia/Shanghai")
BERLIN = load_zone("Europe/Berlin")
WEEKDAYS_8_20 = tuple(OpenWindow(day, 8 * 60, 20 * 60) for day in range(5))
RULES = BookingRules(open_hours=WEEKDAYS_8_20)
ANYONE = Requester()
# Monday 2026-11-30 in Shanghai; "now" is the Friday before at noon.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=SHANGHAI)


def local(day: int, hour: int, minute: int = 0, zone=SHANGHAI) -> datetime:
    """A wall-clock time in December 2026 (day 1 is a Tuesday), as aware UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=zone).astimezone(UTC)


def codes(request: Interval, rules=RULES, now=NOW, zone=SHANGHAI, requester=ANYONE, available=True):
    return [
        v.code
        for v in check_request(rules, request, now.astimezone(UTC), zone, requester, available)
    ]


def test_a_good_request_breaks_nothing():
    assert codes(Interval(local(1, 9), local(1, 11))) == []


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (local(1, 9), local(1, 9, 30), []),  # exactly the minimum
        (local(1, 9), local(1, 9, 15), ["off_grid", "too_short"]),
        (local(1, 9, 15), local(1, 10, 15), ["off_grid"]),
        (local(1, 9), local(1, 17), []),  # exactly the maximum (8 h)
        (local(1, 9), local(1, 17, 30), ["too_long"]),
        (local(1, 9), local(1, 9) + timedelta(minutes=30, seconds=1), ["off_grid"]),
    ],
)
def test_grid_and_duration_edges(start, end, expected):
    assert codes(Interval(start, end)) == expected


def test_notice_edge():
    notice = Interval(local(1, 10), local(1, 11))
    just_in_time = datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)  # exactly 2 h before
    one_second_late = just_in_time + timedelta(seconds=1)
    assert codes(notice, now=just_in_time) == []
    assert codes(notice, now=one_second_late) == ["too_soon"]
    assert codes(
        Interval(local(1, 9), local(1, 10)), now=datetime(2026, 12, 1, 12, tzinfo=SHANGHAI)
    ) == ["too_soon"]


def test_horizon_edge():
    rules = BookingRules(horizon_days=3)
    start = NOW + timedelta(days=3)
    assert codes(Interval(start, start + timedelta(hours=1)), rules=rules) == []
    later = start + timedelta(minutes=30)
    assert codes(Interval(later, later + timedelta(hours=1)), rules=rules) == ["too_far"]


@pytest.mark.parametrize(
    ("start", "end", "inside"),
    [
        (local(1, 8), local(1, 20), True),  # the whole window, touching both ends
        (local(1, 7, 30), local(1, 8, 30), False),
        (local(1, 19, 30), local(1, 20, 30), False),
        (local(5, 9), local(5, 10), False),  # Saturday
        (local(4, 19), local(4, 20), True),  # Friday, last hour
    ],
)
def test_open_hours_edges(start, end, inside):
    assert ("outside_open_hours" not in codes(Interval(start, end))) is inside


def test_open_hours_across_midnight():
    # Friday 20:00 to Saturday 02:00.
    rules = BookingRules(open_hours=(OpenWindow(4, 20 * 60, 2 * 60),), max_minutes=600)
    assert codes(Interval(local(4, 22), local(5, 2)), rules=rules) == []
    assert codes(Interval(local(4, 23), local(5, 2, 30)), rules=rules) == ["outside_open_hours"]
    assert codes(Interval(local(5, 1), local(5, 2)), rules=rules) == []  # Saturday morning part


def test_adjacent_windows_join_across_midnight():
    rules = BookingRules(
        open_hours=(OpenWindow(0, 18 * 60, 24 * 60), OpenWindow(1, 0, 6 * 60)), max_minutes=720
    )
    assert codes(Interval(local(7, 22), local(8, 2)), rules=rules) == []  # Monday into Tuesday


def test_a_24_7_instrument_is_always_open():
    rules = BookingRules(open_hours=(), max_minutes=24 * 60)
    assert codes(Interval(local(5, 0), local(6, 0)), rules=rules) == []  # all Saturday
    assert codes(Interval(local(6, 23), local(7, 3)), rules=rules) == []


def test_daylight_saving_is_read_in_the_platform_zone():
    # Berlin leaves summer time on 2026-10-25 at 03:00 local time.
    rules = BookingRules(
        open_hours=tuple(OpenWindow(d, 8 * 60, 20 * 60) for d in range(7)), max_minutes=600
    )
    now = datetime(2026, 10, 20, 12, tzinfo=BERLIN)
    before = Interval(
        datetime(2026, 10, 24, 8, tzinfo=BERLIN).astimezone(UTC),
        datetime(2026, 10, 24, 9, tzinfo=BERLIN).astimezone(UTC),
    )
    after = Interval(
        datetime(2026, 10, 26, 8, tzinfo=BERLIN).astimezone(UTC),
        datetime(2026, 10, 26, 9, tzinfo=BERLIN).astimezone(UTC),
    )
    assert before.start.hour == 6 and after.start.hour == 7  # same wall time, different UTC
    assert codes(before, rules=rules, now=now, zone=BERLIN) == []
    assert codes(after, rules=rules, now=now, zone=BERLIN) == []
    shifted = Interval(
        after.start - timedelta(hours=1), after.end - timedelta(hours=1)
    )  # 07:00 local
    assert codes(shifted, rules=rules, now=now, zone=BERLIN) == ["outside_open_hours"]


def test_qualification_availability_and_suspension():
    request = Interval(local(1, 9), local(1, 10))
    assert codes(request, requester=Requester(qualified=False)) == ["not_qualified"]
    assert codes(request, available=False) == ["instrument_unavailable"]
    assert codes(request, requester=Requester(suspended=True)) == ["suspended"]


def test_managers_override_notice_horizon_open_hours_but_not_the_grid():
    manager = Requester(may_override=True, qualified=False)
    past_saturday = Interval(local(5, 9) - timedelta(days=14), local(5, 10) - timedelta(days=14))
    assert codes(past_saturday, requester=manager) == []
    assert codes(Interval(local(5, 9, 10), local(5, 10)), requester=manager) == ["off_grid"]


def test_quota_of_future_bookings():
    rules = BookingRules(max_future_bookings=2)
    request = Interval(local(4, 9), local(4, 10))
    assert codes(request, rules=rules, requester=Requester(future_bookings=1)) == []
    assert codes(request, rules=rules, requester=Requester(future_bookings=2)) == ["quota_exceeded"]


def test_quota_of_hours_per_week():
    rules = BookingRules(max_hours_per_week=4)
    held = (Interval(local(1, 9), local(1, 12)),)  # 3 h in the week of Mon 30 Nov
    assert (
        codes(
            Interval(local(2, 9), local(2, 10)),
            rules=rules,
            requester=Requester(booked_by_week=booked_by_week(held, SHANGHAI)),
        )
        == []
    )
    assert codes(
        Interval(local(2, 9), local(2, 10, 30)),
        rules=rules,
        requester=Requester(booked_by_week=booked_by_week(held, SHANGHAI)),
    ) == ["quota_exceeded"]
    next_week = Interval(local(7, 9), local(7, 13))
    assert (
        codes(
            next_week,
            rules=rules,
            requester=Requester(booked_by_week=booked_by_week(held, SHANGHAI)),
        )
        == []
    )


def test_week_runs_monday_to_monday_in_the_platform_zone():
    week = week_of(local(3, 12), SHANGHAI)
    assert week.start == datetime(2026, 11, 30, 0, tzinfo=SHANGHAI)
    assert week.end == datetime(2026, 12, 7, 0, tzinfo=SHANGHAI)


def test_open_calendar_next_opening():
    calendar = OpenCalendar(WEEKDAYS_8_20, SHANGHAI)
    assert calendar.next_opening(local(4, 21)) == local(7, 8)  # Friday night -> Monday 08:00
    assert calendar.next_opening(local(2, 9)) == local(2, 9)


def test_hours_quota_counts_each_week_a_request_touches():
    rules = BookingRules(max_hours_per_week=4, open_hours=(), max_minutes=600)
    held = (Interval(local(1, 9), local(1, 12)),)  # 3 h in the week of Mon 30 Nov
    sunday_night = Interval(
        datetime(2026, 11, 29, 22, tzinfo=SHANGHAI), datetime(2026, 11, 30, 2, tzinfo=SHANGHAI)
    )
    # 2 h fall in the previous week (fine) and 2 h in the held week (3 + 2 > 4).
    assert codes(
        sunday_night,
        rules=rules,
        requester=Requester(booked_by_week=booked_by_week(held, SHANGHAI)),
    ) == ["quota_exceeded"]


def test_booked_time_is_split_at_the_local_week_boundary_and_added_up():
    sunday_night = Interval(
        datetime(2026, 11, 29, 22, tzinfo=SHANGHAI), datetime(2026, 11, 30, 2, 30, tzinfo=SHANGHAI)
    )
    tuesday = Interval(local(2, 9), local(2, 10))
    booked = booked_by_week([sunday_night, tuesday], SHANGHAI)
    this_week, last_week = week_of(local(2, 9), SHANGHAI), week_of(sunday_night.start, SHANGHAI)
    assert booked == {last_week.start: timedelta(hours=2), this_week.start: timedelta(hours=3.5)}
    # Adding to what was counted leaves the given mapping alone.
    more = booked_by_week([tuesday], SHANGHAI, into=booked)
    assert more[this_week.start] == timedelta(hours=4.5)
    assert booked[this_week.start] == timedelta(hours=3.5)


def test_weeks_touched_follow_the_zone_across_a_clock_change():
    # Berlin's clocks went back on Sunday 25 October 2026: that week has 169 hours.
    autumn = Interval(
        datetime(2026, 10, 25, 12, tzinfo=BERLIN), datetime(2026, 10, 26, 1, tzinfo=BERLIN)
    )
    first, second = weeks_touched(autumn, BERLIN)
    assert first.end - first.start == timedelta(hours=169)
    assert second.start == first.end == datetime(2026, 10, 26, 0, tzinfo=BERLIN)
    assert booked_by_week([autumn], BERLIN) == {
        first.start: timedelta(hours=12),
        second.start: timedelta(hours=1),
    }


def test_weekly_quota_is_exact_to_the_microsecond():
    rules = BookingRules(max_hours_per_week=4, open_hours=(), slot_minutes=1)
    held = (Interval(local(1, 9), local(1, 12)),)
    booked = booked_by_week(held, SHANGHAI)
    exactly_one_hour = Interval(local(2, 9), local(2, 10))
    assert codes(exactly_one_hour, rules=rules, requester=Requester(booked_by_week=booked)) == []
    nudged = {start: used + timedelta(microseconds=1) for start, used in booked.items()}
    assert codes(exactly_one_hour, rules=rules, requester=Requester(booked_by_week=nudged)) == [
        "quota_exceeded"
    ]
