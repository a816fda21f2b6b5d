"""Busy time and free slots of an instrument, by the same rules as requests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.bookings.conflicts import (
    Busy,
    BusyIndex,
    SlotSearch,
    free_slots,
)
from sharing.bookings.models import Booking, Downtime, WaitlistEntry, blocks, holds
from sharing.bookings.policy import Requester
from sharing.bookings.services.standing import requester_for
from sharing.extensions import db
from sharing.formatting import platform_zone
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.timeutil import Interval, utcnow


def load_busy(
    instrument_id: int,
    window: Interval,
    exclude: set[int] | None = None,
    holder_id: int | None = None,
) -> list[Busy]:
    """Active bookings (with buffers), downtimes and waiting-list holds of the instrument that
    touch `window`; a hold does not block the user it is held for (`holder_id`)."""
    booked = select(
        literal("booking").label("kind"), Booking.id, Booking.start, Booking.blocked_until
    ).where(blocks(instrument_id, window.start, window.end))
    down = select(literal("downtime"), Downtime.id, Downtime.start, Downtime.end).where(
        Downtime.instrument_id == instrument_id,
        Downtime.start < window.end,
        Downtime.end > window.start,
    )
    held = select(literal("hold"), WaitlistEntry.id, WaitlistEntry.start, WaitlistEntry.end).where(
        holds(instrument_id, window.start, window.end, utcnow()),
        WaitlistEntry.user_id != (holder_id or 0),
    )
    exclude = exclude or set()
    return [
        Busy(start, end, kind, ref)
        for kind, ref, start, end in db.session.execute(union_all(booked, down, held))
        if not (kind == "booking" and ref in exclude)
    ]


def instrument_busy(instrument: Instrument, window: Interval) -> list[tuple[Busy, Booking | None]]:
    """Busy time in a window, with the booking behind each booked range (for managers)."""
    busy = load_busy(instrument.id, window)
    ids = [b.ref for b in busy if b.kind == "booking"]
    bookings = (
        {
            b.id: b
            for b in db.session.scalars(
                select(Booking).where(Booking.id.in_(ids)).options(joinedload(Booking.user))
            )
        }
        if ids
        else {}
    )
    return [(b, bookings.get(b.ref) if b.kind == "booking" else None) for b in sorted(busy)]


def find_free_slots(
    actor: User | None,
    instrument: Instrument,
    duration: timedelta,
    after: datetime,
    limit: int,
    now: datetime | None = None,
) -> list[Interval]:
    """The earliest slots that satisfy every rule for the caller (anonymous: a plain user)."""
    now = now or utcnow()
    rules = instrument.booking_rules()
    window = Interval(
        min(after, now), now + timedelta(days=rules.horizon_days) + duration + timedelta(days=1)
    )
    if actor is not None and actor.is_authenticated:
        requester = requester_for(actor, instrument, False, now, window)
    else:
        requester = Requester()
    busy = BusyIndex(load_busy(instrument.id, window))
    search = SlotSearch(
        rules,
        busy,
        now,
        platform_zone(),
        requester,
        instrument.status == InstrumentStatus.AVAILABLE,
    )
    return free_slots(search, duration, after, limit)
