"""Drawing the demo's days: one number from the generator per draw, whatever the window."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sharing.util.formatting import platform_zone


# Every draw takes one number from the generator whatever the window's length: the windows end
# today, and a draw whose consumption depended on their length (randint's rejection sampling)
# gave another district on each day of the year, whose needs the matching tests read.
def draw(rng: random.Random) -> float:
    return rng.random()


def day_at(first: date, last: date, fraction: float) -> date:
    """The day at `fraction` (0 <= fraction < 1) of the way from `first` to `last`."""
    span = max(0, (last - first).days)
    return first + timedelta(days=min(span, int(fraction * (span + 1))))


def any_day(rng: random.Random, first: date, last: date) -> date:
    return day_at(first, last, draw(rng))


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), platform_zone())


def weekdays_from_today(count: int, step: int) -> list:
    """Local midnights of `count` weekdays after (step 1) or before (step -1) today."""
    zone = platform_zone()
    day = datetime.now(zone).date()
    days = []
    while len(days) < count:
        day += timedelta(days=step)
        if day.weekday() < 5:
            days.append(datetime.combine(day, time(0), tzinfo=zone))
    return days
