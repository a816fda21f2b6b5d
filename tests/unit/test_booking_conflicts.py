"""Blocked ranges, conflicts, free slots and suggestions."""

from datetime import UTC, datetime, timedelta

import pytest

from sharing.bookings.conflicts import (
    Busy,
    BusyIndex,
    SlotSearch,
    align_up,
    find_conflicts,
    free_slots,
    suggest,
)
from sharing.bookings.policy import Requester, booked_by_week, check_request, overlap
from sharing.instruments.rules import BookingRules, OpenWindow
from sharing.util.timeutil import Interval, load_zone
from tests.fixtures.overlaps import OVERLAP_CASES, local

SHANGHAI = load_zone("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=SHANGHAI).astimezone(UTC)
H = timedelta(hours=1)


def booking(start, end, buffer=0, ref=1):
    return Busy(start, end + timedelta(minutes=buffer), "booking", ref)


@pytest.mark.parametrize(("existing", "wanted", "request_buffer", "conflicts"), OVERLAP_CASES)
def test_overlap_table(existing, wanted, request_buffer, conflicts):
    start, end, buffer = existing
    index = BusyIndex([booking(start, end, buffer)])
    assert bool(find_conflicts(Interval(*wanted), request_buffer, index)) is conflicts


def test_downtime_conflicts_and_is_named():
    downtime = Busy(local(1, 8), local(1, 18), "downtime", 7)
    clashes = find_conflicts(Interval(local(1, 17), local(1, 19)), 0, BusyIndex([downtime]))
    assert clashes == [downtime]


def test_long_busy_ranges_are_found_behind_later_starts():
    long = Busy(local(1, 0), local(3, 0), "downtime", 1)
    short = Busy(local(2, 10), local(2, 11), "booking", 2)
    assert find_conflicts(Interval(local(2, 20), local(2, 21)), 0, BusyIndex([long, short])) == [
        long
    ]


def test_align_up_uses_the_local_grid():
    assert align_up(local(1, 9, 1), 30, SHANGHAI) == local(1, 9, 30)
    assert align_up(local(1, 9, 30), 30, SHANGHAI) == local(1, 9, 30)
    assert align_up(local(1, 9, 30) + timedelta(seconds=5), 30, SHANGHAI) == local(1, 10)
    assert align_up(local(1, 9, 10), 90, SHANGHAI) == local(1, 10, 30)


RULES = BookingRules(
    open_hours=tuple(OpenWindow(d, 8 * 60, 20 * 60) for d in range(5)), buffer_minutes=30
)


ANYONE = Requester()


def search(busy=(), requester=ANYONE, rules=RULES):
    return SlotSearch(rules, BusyIndex(list(busy)), NOW, SHANGHAI, requester)


def test_free_slots_respect_open_hours_notice_and_buffers():
    busy = [booking(local(1, 8), local(1, 12), 30)]
    slots = free_slots(search(busy), 2 * H, after=local(1, 0), limit=4)
    assert slots == [
        Interval(local(1, 12, 30), local(1, 14, 30)),
        Interval(local(1, 15), local(1, 17)),
        Interval(local(1, 17, 30), local(1, 19, 30)),
        Interval(local(2, 8), local(2, 10)),
    ]


def test_free_slots_skip_weekends_and_start_after_notice():
    friday_evening = datetime(2026, 12, 4, 19, 0, tzinfo=SHANGHAI).astimezone(UTC)
    found = SlotSearch(RULES, BusyIndex([]), friday_evening, SHANGHAI, Requester())
    assert free_slots(found, H, after=friday_evening, limit=1) == [
        Interval(local(7, 8), local(7, 9))
    ]


def test_every_suggestion_passes_every_check():
    busy = [booking(local(2, 8), local(2, 20), 0, ref=n) for n in range(1)]
    wanted = Interval(local(2, 10), local(2, 12))
    slot_search = search(busy)
    suggestions = suggest(slot_search, wanted)
    assert len(suggestions) == 3
    for slot in suggestions:
        assert slot.duration == wanted.duration
        assert not find_conflicts(slot, RULES.buffer_minutes, slot_search.busy)
        assert check_request(RULES, slot, NOW, SHANGHAI, Requester()) == []
    # Nearest first and distinct: the day before is 16-20 h away, the day after 22 h.
    assert suggestions == [
        Interval(local(1, 14), local(1, 16)),
        Interval(local(1, 16), local(1, 18)),
        Interval(local(1, 18), local(1, 20)),
    ]


def test_suggestions_honour_quotas():
    rules = BookingRules(max_hours_per_week=3, open_hours=())
    own = (Interval(local(1, 8), local(1, 10)),)
    requester = Requester(booked_by_week=booked_by_week(own, SHANGHAI))
    slot_search = search([], requester, rules)
    suggestions = suggest(slot_search, Interval(local(2, 10), local(2, 12)))
    assert len(suggestions) == 3
    quota_week = Interval(local(1, 0) - timedelta(days=1), local(7, 0))  # Mon 30 Nov to Mon 7 Dec
    for slot in suggestions:
        assert overlap(slot, quota_week) <= timedelta(hours=1)  # 2 h used there; the limit is 3 h
        assert check_request(rules, slot, NOW, SHANGHAI, requester) == []


def test_a_full_horizon_yields_no_slots_without_spinning():
    rules = BookingRules(open_hours=(), horizon_days=5)
    busy = [Busy(NOW - H, NOW + timedelta(days=30), "downtime", 1)]
    assert free_slots(search(busy, rules=rules), H, after=NOW, limit=3) == []
