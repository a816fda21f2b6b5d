"""Lists of bookings: the caller's own, the instruments they manage, the approval queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.bookings.lifecycle import (
    BookingStatus,
)
from sharing.bookings.models import Booking
from sharing.core.pagination import Page
from sharing.extensions import db
from sharing.instruments.access import managed_instruments
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow


@dataclass(frozen=True)
class BookingQuery:
    instrument_id: int | None = None
    status: str | None = None
    start: datetime | None = None  # bookings ending after this
    end: datetime | None = None  # bookings starting before this
    mine_only: bool = False
    upcoming_first: bool = False  # what is still ahead by start, then the past, newest first
    page: int = 1
    per_page: int = 20


def list_bookings(actor: User, query: BookingQuery):
    """The actor's own bookings; managers also their instruments'; admins all."""
    statement = select(Booking).join(Instrument)
    if query.mine_only:
        statement = statement.where(Booking.user_id == actor.id)
    elif not is_admin(actor):
        statement = statement.where(
            or_(Booking.user_id == actor.id, Booking.instrument_id.in_(managed_instruments(actor)))
        )
    if query.instrument_id is not None:
        statement = statement.where(Booking.instrument_id == query.instrument_id)
    if query.status:
        statement = statement.where(Booking.status == query.status)
    if query.start is not None:
        statement = statement.where(Booking.end > query.start)
    if query.end is not None:
        statement = statement.where(Booking.start < query.end)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    order = (Booking.start, Booking.id)
    if query.upcoming_first:
        ahead = Booking.end > utcnow()
        order = (case((ahead, 0), else_=1), case((ahead, Booking.start)), Booking.start.desc())
    items = db.session.scalars(
        statement.options(
            # The rates and the booker's organisation price each booking's estimate.
            joinedload(Booking.instrument).selectinload(Instrument.rates),
            joinedload(Booking.user).joinedload(User.organisation),
        )
        .order_by(*order)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    return Page(items=list(items), total=total, page=query.page, per_page=query.per_page)


def _pending_for(actor: User, statement):
    statement = statement.where(Booking.status == BookingStatus.PENDING)
    if not is_admin(actor):
        statement = statement.where(Booking.instrument_id.in_(managed_instruments(actor)))
    return statement


def list_pending_for_manager(actor: User) -> list[Booking]:
    """The queue of requests awaiting the actor's decision."""
    statement = (
        select(Booking)
        .join(Instrument)
        .options(joinedload(Booking.instrument), joinedload(Booking.user))
        .order_by(Booking.start)
    )
    return list(db.session.scalars(_pending_for(actor, statement)))


def count_pending_for_manager(actor: User) -> int:
    """How many requests await the actor's decision (the navigation's badge)."""
    return db.session.scalar(_pending_for(actor, select(func.count(Booking.id)))) or 0
