"""Days on the vessel's calendar, pure: a cruise holds its vessel from the first mobilisation
day to the last day at sea, as whole days of the platform zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sharing.util.timeutil import Interval


def first_held_day(departs_on: date, mobilisation_days: int) -> date:
    return departs_on - timedelta(days=mobilisation_days)


def day_window(first_day: date, last_day: date, zone: ZoneInfo) -> Interval:
    """[first_day 00:00, the day after last_day 00:00) in `zone`, as UTC instants."""
    start = datetime.combine(first_day, time(0), zone).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return Interval(start, end)
