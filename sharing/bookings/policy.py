"""Booking rules as plain code: a request, the rules and the requester in; violations out.

Pure: no Flask, no database. Times are aware datetimes; `zone` is the platform zone in which
open hours, the slot grid and weeks are read. Intervals are half-open [start, end).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sharing.instruments.rules import BookingRules, OpenWindow
from sharing.util.timeutil import Interval

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Requester:
    """What the rules need to know about who asks.

    `may_override` is true for a manager booking on someone's behalf: notice, horizon, open
    hours, training and quotas do not bind them (overlaps always do).
    """

    qualified: bool = True
    qualification_lapsed: bool = False  # trained once, but the grant has expired
    suspended: bool = False
    may_override: bool = False
    # How long the booker's active bookings on this instrument last in each local week the
    # request touches, by the week's start (UTC): what the weekly hours quota counts.
    booked_by_week: Mapping[datetime, timedelta] = field(default_factory=dict)
    # How many of the booker's active bookings on this instrument have not ended yet.
    future_bookings: int = 0


@dataclass(frozen=True)
class Violation:
    """One broken rule: an api.md code and the values a message needs."""

    code: str
    params: dict = field(default_factory=dict)


class OpenCalendar:
    """The instrument's weekly open windows laid out on real dates in the platform zone."""

    def __init__(self, windows: Sequence[OpenWindow], zone: ZoneInfo):
        self.windows = tuple(windows)
        self.zone = zone
        self._per_day: dict[date, list[Interval]] = {}

    @property
    def always_open(self) -> bool:
        return not self.windows

    def _day_spans(self, day: date) -> list[Interval]:
        if day not in self._per_day:
            midnight = datetime.combine(day, time(0), tzinfo=self.zone)
            spans = []
            for window in self.windows:
                if window.weekday != day.weekday():
                    continue
                start = midnight + timedelta(minutes=window.start_minute)
                end = start + timedelta(minutes=window.length_minutes)
                spans.append(Interval(_utc(start), _utc(end)))
            self._per_day[day] = spans
        return self._per_day[day]

    def spans(self, start: datetime, end: datetime) -> list[Interval]:
        """Open spans touching [start, end), merged where they meet or overlap."""
        first = start.astimezone(self.zone).date() - DAY  # yesterday's window may run past midnight
        last = end.astimezone(self.zone).date()
        raw = []
        day = first
        while day <= last:
            raw.extend(self._day_spans(day))
            day += DAY
        return merge(raw)

    def covers(self, interval: Interval) -> bool:
        """True when the instrument is open for the whole interval."""
        if self.always_open:
            return True
        return any(span.contains(interval) for span in self.spans(interval.start, interval.end))

    def next_opening(self, moment: datetime) -> datetime | None:
        """The start of the first open span at or after `moment` within a week, or None."""
        for span in self.spans(moment, moment + 8 * DAY):
            if span.end > moment:
                return max(span.start, moment)
        return None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo("UTC"))


def merge(intervals: Sequence[Interval]) -> list[Interval]:
    """Sorted union of intervals; touching ones join."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, interval.end))
        else:
            merged.append(interval)
    return merged


def subtract(intervals: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """The parts of `intervals` outside every hole, merged and sorted."""
    remaining = merge(intervals)
    for hole in merge(holes):
        kept = []
        for interval in remaining:
            if hole.end <= interval.start or interval.end <= hole.start:
                kept.append(interval)
                continue
            if interval.start < hole.start:
                kept.append(Interval(interval.start, hole.start))
            if hole.end < interval.end:
                kept.append(Interval(hole.end, interval.end))
        remaining = kept
    return remaining


def minutes_into_local_day(moment: datetime, zone: ZoneInfo) -> tuple[int, int]:
    """(minutes since local midnight, leftover seconds and microseconds as microseconds)."""
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute, local.second * 1_000_000 + local.microsecond


def on_grid(moment: datetime, slot_minutes: int, zone: ZoneInfo) -> bool:
    """True when the wall-clock time is a whole multiple of the slot from local midnight."""
    minutes, leftover = minutes_into_local_day(moment, zone)
    return leftover == 0 and minutes % slot_minutes == 0


def week_of(moment: datetime, zone: ZoneInfo) -> Interval:
    """The local calendar week (Monday 00:00 to Monday 00:00) that contains `moment`."""
    local_day = moment.astimezone(zone).date()
    monday = local_day - timedelta(days=local_day.weekday())
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return Interval(_utc(start), _utc(end))


def overlap(a: Interval, b: Interval) -> timedelta:
    """How long two intervals share."""
    return max(min(a.end, b.end) - max(a.start, b.start), timedelta(0))


def weeks_touched(interval: Interval, zone: ZoneInfo) -> list[Interval]:
    """The local calendar weeks that `interval` meets, in order."""
    weeks = [week_of(interval.start, zone)]
    while weeks[-1].end < interval.end:
        weeks.append(week_of(weeks[-1].end, zone))
    return weeks


def booked_by_week(
    intervals: Iterable[Interval], zone: ZoneInfo, into: Mapping[datetime, timedelta] | None = None
) -> dict[datetime, timedelta]:
    """How long `intervals` last in each local week they meet (added to `into`, if given)."""
    booked = dict(into or {})
    for interval in intervals:
        for week in weeks_touched(interval, zone):
            booked[week.start] = booked.get(week.start, timedelta(0)) + overlap(interval, week)
    return booked


def check_request(
    rules: BookingRules,
    request: Interval,
    now: datetime,
    zone: ZoneInfo,
    requester: Requester,
    instrument_available: bool = True,
    calendar: OpenCalendar | None = None,
) -> list[Violation]:
    """Every rule the request breaks, in the order a person would fix them."""
    violations = person_violations(requester, instrument_available)
    violations += _shape_violations(rules, request, zone)
    if requester.may_override:
        return violations
    violations += _timing_violations(rules, request, now, zone, calendar)
    violations += _quota_violations(rules, request, zone, requester)
    return violations


def person_violations(requester: Requester, instrument_available: bool) -> list[Violation]:
    """The instrument's state and the booker's standing (a manager's override lifts the latter)."""
    found = []
    if not instrument_available:
        found.append(Violation("instrument_unavailable"))
    if requester.suspended and not requester.may_override:
        found.append(Violation("suspended"))
    if not requester.qualified and not requester.may_override:
        lapsed = requester.qualification_lapsed
        found.append(Violation("qualification_expired" if lapsed else "not_qualified"))
    return found


def _shape_violations(rules: BookingRules, request: Interval, zone: ZoneInfo) -> list[Violation]:
    """The grid and the length: binding on everyone, managers included."""
    found = []
    if not (
        on_grid(request.start, rules.slot_minutes, zone)
        and on_grid(request.end, rules.slot_minutes, zone)
    ):
        found.append(Violation("off_grid", {"slot": rules.slot_minutes}))
    minutes = request.duration.total_seconds() / 60
    if minutes < rules.min_minutes:
        found.append(Violation("too_short", {"min": rules.min_minutes}))
    if minutes > rules.max_minutes:
        found.append(Violation("too_long", {"max": rules.max_minutes}))
    return found


def _timing_violations(
    rules: BookingRules,
    request: Interval,
    now: datetime,
    zone: ZoneInfo,
    calendar: OpenCalendar | None,
) -> list[Violation]:
    """Notice, horizon and open hours."""
    violations = []
    if request.start < now + timedelta(hours=rules.notice_hours):
        violations.append(Violation("too_soon", {"hours": rules.notice_hours}))
    if request.start > now + timedelta(days=rules.horizon_days):
        violations.append(Violation("too_far", {"days": rules.horizon_days}))
    calendar = calendar or OpenCalendar(rules.open_hours, zone)
    if not calendar.covers(request):
        violations.append(Violation("outside_open_hours"))
    return violations


def _quota_violations(
    rules: BookingRules, request: Interval, zone: ZoneInfo, requester: Requester
) -> list[Violation]:
    found = []
    cap = rules.max_future_bookings
    if cap is not None and requester.future_bookings >= cap:
        found.append(Violation("quota_exceeded", {"max_bookings": cap}))
    if rules.max_hours_per_week is not None:
        # A request across a week boundary counts in each week it touches.
        allowed = timedelta(hours=rules.max_hours_per_week)
        for week in weeks_touched(request, zone):
            used = requester.booked_by_week.get(week.start, timedelta(0))
            if used + overlap(request, week) > allowed:
                found.append(Violation("quota_exceeded", {"max_hours": rules.max_hours_per_week}))
                break
    return found
