"""Downtimes: entering, previewing and importing them, and the bookings they hit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.bookings.lifecycle import (
    Action,
)
from sharing.bookings.models import Booking, Downtime, blocks
from sharing.bookings.notifications import notify
from sharing.bookings.services.requesting import lock_instrument
from sharing.bookings.services.transitions import _transition
from sharing.bookings.services.waitlist import offer_freed
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.core.feedversions import instrument_key, latest
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument
from sharing.instruments.services import get_instrument
from sharing.util.timeutil import utcnow


def add_downtime(
    actor: User, instrument: Instrument, start: datetime, end: datetime, reason: str = ""
) -> tuple[Downtime, list[Booking]]:
    """Block the instrument; returns the downtime and the active bookings it hits."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    if end <= start:
        raise BadRequest("A downtime must end after it starts.", fields={"end": ["before start"]})
    lock_instrument(instrument.id)
    downtime = Downtime(
        instrument_id=instrument.id,
        start=start,
        end=end,
        reason=reason.strip(),
        created_by_id=actor.id,
    )
    db.session.add(downtime)
    db.session.flush()
    affected = affected_bookings(downtime)
    for booking in affected:
        notify("affected", booking, actor, reason=downtime.reason)
    return downtime, affected


def affected_bookings(downtime: Downtime) -> list[Booking]:
    """Active bookings whose blocked range overlaps the downtime."""
    statement = (
        select(Booking)
        .where(blocks(downtime.instrument_id, downtime.start, downtime.end))
        .options(joinedload(Booking.user))
        .order_by(Booking.start)
    )
    return list(db.session.scalars(statement))


def get_downtime(actor: User, downtime_id: int) -> Downtime:
    downtime = db.session.get(Downtime, downtime_id)
    if downtime is None or not can_manage_instrument(actor, get_instrument(downtime.instrument_id)):
        raise NotFound("No downtime %(id)s.", {"id": downtime_id})
    return downtime


def cancel_for_downtime(actor: User, downtime: Downtime, reason: str) -> list[Booking]:
    """Cancel every active booking the downtime hits, with one reason; bookers are told."""
    cancelled = []
    for booking in affected_bookings(downtime):
        _transition(actor, booking, Action.CANCEL, reason)
        notify("downtime", booking, actor, reason=reason)
        cancelled.append(booking)
    return cancelled


def list_downtimes(instrument: Instrument) -> list[tuple[Downtime, list[Booking]]]:
    """The instrument's current and future downtimes, each with the bookings it hits."""
    statement = (
        select(Downtime)
        .where(Downtime.instrument_id == instrument.id, Downtime.end > utcnow())
        .order_by(Downtime.start)
    )
    return [(downtime, affected_bookings(downtime)) for downtime in db.session.scalars(statement)]


def calendar_version(instrument_id: int) -> str:
    """The instrument's calendar version ("" before any change): what a preview was made on."""
    version = latest([instrument_key(instrument_id)])
    return version.isoformat() if version else ""


def add_previewed_downtimes(
    actor: User, instrument: Instrument, periods: list, previewed_version: str
) -> list[Downtime]:
    """Create the downtimes of an import preview, once, on the calendar it was previewed on.

    A second confirmation of the same preview, or one after any change to the instrument's
    calendar, is refused: the manager looks at the bookings they hit again.
    """
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    lock_instrument(instrument.id)
    if calendar_version(instrument.id) != previewed_version:
        raise Conflict(
            "The instrument's calendar changed since the preview (or it was imported already); "
            "read the file again.",
            code="conflict",
        )
    return [
        add_downtime(actor, instrument, period.start, period.end, period.summary)[0]
        for period in periods
    ]


def delete_downtime(actor: User, downtime: Downtime) -> None:
    lock_instrument(downtime.instrument_id)
    lock_row(downtime)
    db.session.delete(downtime)
    db.session.flush()
    offer_freed(downtime.instrument_id)  # lifted: someone may be waiting for this time


def preview_downtimes(instrument: Instrument, periods: list) -> list[tuple[object, list[Booking]]]:
    """Each proposed period with the active bookings it would hit (nothing is written)."""
    preview = []
    for period in periods:
        hits = db.session.scalars(
            select(Booking)
            .where(blocks(instrument.id, period.start, period.end))
            .options(joinedload(Booking.user))
        ).all()
        preview.append((period, list(hits)))
    return preview
