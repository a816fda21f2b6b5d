"""Blocked ranges, conflicts, free slots and suggestions, pure.

An active booking blocks [start, end + buffer); a downtime blocks [start, end). A request
conflicts when its own blocked range overlaps any of them. Free slots and suggestions are
found by the same checks a real request goes through, so each of them books as it stands.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sharing.bookings.policy import OpenCalendar, Requester, check_request, minutes_into_local_day
from sharing.instruments.rules import BookingRules
from sharing.util.timeutil import Interval

MAX_CANDIDATES = 20_000  # a hard stop for slot searches over long, crowded horizons

# How far either side of a refused request suggestions look.
SUGGESTION_DAYS = 14


@dataclass(frozen=True, order=True)
class Busy:
    """Time that is taken: by an active booking (with its buffer) or a downtime."""

    start: datetime
    end: datetime
    kind: str  # "booking" or "downtime"
    ref: int | None = None

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


def blocked_range(request: Interval, buffer_minutes: int) -> Interval:
    """The time a booking takes out of the calendar: itself plus the buffer after it."""
    return Interval(request.start, request.end + timedelta(minutes=buffer_minutes))


class BusyIndex:
    """Busy ranges sorted by start for quick overlap look-ups."""

    def __init__(self, busy: Sequence[Busy]):
        self.items = sorted(busy)
        self.starts = [item.start for item in self.items]
        self.longest = max((item.end - item.start for item in self.items), default=timedelta(0))

    def overlapping(self, interval: Interval) -> list[Busy]:
        """Busy ranges sharing an instant with `interval` (touching ends do not)."""
        low = bisect.bisect_left(self.starts, interval.start - self.longest)
        high = bisect.bisect_left(self.starts, interval.end)
        return [
            item
            for item in self.items[low:high]
            if item.start < interval.end and interval.start < item.end
        ]


def find_conflicts(request: Interval, buffer_minutes: int, busy: BusyIndex) -> list[Busy]:
    """The busy ranges the request's blocked range would collide with."""
    return busy.overlapping(blocked_range(request, buffer_minutes))


def align_up(moment: datetime, slot_minutes: int, zone: ZoneInfo) -> datetime:
    """The first instant at or after `moment` that lies on the local slot grid."""
    moment = moment.replace(second=0, microsecond=0) + (
        timedelta(minutes=1) if moment.second or moment.microsecond else timedelta(0)
    )
    minutes, _ = minutes_into_local_day(moment, zone)
    remainder = minutes % slot_minutes
    return moment if remainder == 0 else moment + timedelta(minutes=slot_minutes - remainder)


@dataclass(frozen=True)
class SlotSearch:
    """Everything a slot search needs, gathered once."""

    rules: BookingRules
    busy: BusyIndex
    now: datetime
    zone: ZoneInfo
    requester: Requester
    instrument_available: bool = True

    def is_free(self, candidate: Interval, calendar: OpenCalendar) -> bool:
        violations = check_request(
            self.rules,
            candidate,
            self.now,
            self.zone,
            self.requester,
            self.instrument_available,
            calendar,
        )
        return not violations and not find_conflicts(
            candidate, self.rules.buffer_minutes, self.busy
        )

    def scan(
        self, duration: timedelta, after: datetime, until: datetime, limit: int, packed: bool = True
    ) -> list[Interval]:
        """Free slots of `duration` starting in [after, until), earliest first.

        Packed slots follow each other without overlapping; unpacked ones start at every free
        grid position (what a search for the nearest slot needs).
        """
        calendar = OpenCalendar(self.rules.open_hours, self.zone)
        slot = self.rules.slot_minutes
        found: list[Interval] = []
        start = align_up(after, slot, self.zone)
        for _ in range(MAX_CANDIDATES):
            if start >= until or len(found) >= limit:
                break
            candidate = Interval(start, start + duration)
            clashes = find_conflicts(candidate, self.rules.buffer_minutes, self.busy)
            if clashes:
                # Nothing can start before the latest clash ends: jump there.
                start = align_up(max(c.end for c in clashes), slot, self.zone)
                continue
            if self.is_free(candidate, calendar):
                found.append(candidate)
                if packed:
                    after_buffer = candidate.end + timedelta(minutes=self.rules.buffer_minutes)
                    start = align_up(after_buffer, slot, self.zone)
                else:
                    start += timedelta(minutes=slot)
                continue
            if not calendar.covers(candidate):
                opening = calendar.next_opening(start + timedelta(minutes=slot))
                start = align_up(opening, slot, self.zone) if opening else start + timedelta(days=7)
                continue
            start += timedelta(minutes=slot)
        return found


def earliest_start(rules: BookingRules, now: datetime, requester: Requester) -> datetime:
    """The first moment a request may start under the notice rule."""
    return now if requester.may_override else now + timedelta(hours=rules.notice_hours)


def free_slots(
    search: SlotSearch, duration: timedelta, after: datetime, limit: int
) -> list[Interval]:
    """The earliest slots after `after` that satisfy every rule for the requester."""
    start = max(after, earliest_start(search.rules, search.now, search.requester))
    until = search.now + timedelta(days=search.rules.horizon_days) + duration
    return search.scan(duration, start, until, limit)


def suggest(
    search: SlotSearch, wanted: Interval, limit: int = 3, window_days: int = SUGGESTION_DAYS
) -> list[Interval]:
    """Free slots of the same length nearest to the wanted one, before or after it, distinct."""
    duration = wanted.duration
    earliest = max(
        wanted.start - timedelta(days=window_days),
        earliest_start(search.rules, search.now, search.requester),
    )
    latest = wanted.start + timedelta(days=window_days)
    candidates = search.scan(duration, earliest, latest, limit=5000, packed=False)
    candidates.sort(key=lambda slot: (abs(slot.start - wanted.start), slot.start))
    chosen: list[Interval] = []
    for candidate in candidates:
        if len(chosen) == limit:
            break
        if not any(candidate.overlaps(other) for other in chosen):
            chosen.append(candidate)
    return sorted(chosen)
