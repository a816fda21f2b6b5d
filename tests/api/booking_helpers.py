"""Helpers for booking tests: a weekday-hours instrument and times relative to now."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sharing.instruments.rules import OpenWindow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def next_weekday(days_ahead: int = 7, zone=SHANGHAI) -> datetime:
    """Local midnight of the first Monday-to-Friday day at least `days_ahead` days from now."""
    day = datetime.now(zone).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=zone)


def at(day: datetime, hour: int, minute: int = 0) -> str:
    """RFC 3339 text for a wall-clock time on `day`."""
    return day.replace(hour=hour, minute=minute).isoformat()


def weekday_instrument(make, manager=None, **fields):
    """An instrument open Monday to Friday 08:00-20:00 with the default rules."""
    rules = {
        "open_hours": [OpenWindow(d, 8 * 60, 20 * 60) for d in range(5)],
        **fields.pop("rules", {}),
    }
    return make.instrument(manager=manager, rules=rules, **fields)
