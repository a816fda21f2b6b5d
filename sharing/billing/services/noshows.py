"""No-shows: marking them (by hand or by the sweep), and the suspensions they lead to."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.billing.access import can_lift_suspension, suspensions_scope
from sharing.billing.models import Charge
from sharing.billing.pricing import (
    no_show_charge,
)
from sharing.billing.services.usage import _charge_for, _tariff
from sharing.bookings.lifecycle import Action, BookingStatus
from sharing.bookings.models import Booking, Suspension
from sharing.bookings.services import record_transition
from sharing.core.errors import Conflict, Forbidden
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


def mark_no_show(
    actor: User | None, booking: Booking, now: datetime | None = None
) -> Charge | None:
    """Nobody came: the booking becomes a no-show, is charged its share, and may suspend."""
    if actor is not None and not can_manage_instrument(actor, booking.instrument):
        raise Forbidden("Only the instrument's managers mark no-shows.")
    lock_row(booking)
    if booking.order_id is not None:
        raise Conflict(
            "A sample run is the lab's own work: record its usage instead.",
            code="invalid_state",
            status=booking.status.value,
        )
    if (now or utcnow()) < booking.start:
        raise Conflict("The booking has not started yet.", code="invalid_state")
    if booking.status != BookingStatus.APPROVED or booking.checked_in_at is not None:
        raise Conflict(
            "Only a confirmed booking nobody checked in to can be a no-show.", code="invalid_state"
        )
    record_transition(booking, Action.NO_SHOW, actor)
    charge = None
    tariff = _tariff(booking)
    if tariff is not None:
        category, unit, price = tariff
        line = no_show_charge(booking.instrument.billing_terms(), unit, price, booking.interval)
        charge = _charge_for(booking, line, category, actor)
    db.session.flush()
    _suspend_if_repeated(booking, now or utcnow())
    return charge


def _suspend_if_repeated(booking: Booking, now: datetime) -> None:
    owner: Organisation = booking.instrument.organisation
    since = now - timedelta(days=owner.no_show_window_days)
    count = db.session.scalar(
        select(func.count(Booking.id))
        .join(Instrument)
        .where(
            Booking.user_id == booking.user_id,
            Booking.status == BookingStatus.NO_SHOW,
            Booking.start >= since,
            Instrument.organisation_id == owner.id,
        )
    )
    if count >= owner.no_show_limit and not _active_suspension(booking.user_id, owner.id):
        db.session.add(
            Suspension(
                user_id=booking.user_id,
                organisation_id=owner.id,
                # Written in the language of whoever caused it: the platform's for the sweep.
                reason=gettext(
                    "%(count)s no-shows in %(days)s days",
                    count=count,
                    days=owner.no_show_window_days,
                ),
            )
        )
        db.session.flush()


def _active_suspension(user_id: int, organisation_id: int) -> Suspension | None:
    return db.session.scalar(
        select(Suspension).where(
            Suspension.user_id == user_id,
            Suspension.organisation_id == organisation_id,
            Suspension.lifted_at.is_(None),
        )
    )


def lift_suspension(actor: User, suspension: Suspension) -> Suspension:
    if not can_lift_suspension(actor, suspension):
        raise Forbidden("Only the organisation's managers lift a suspension.")
    lock_row(suspension)
    if suspension.lifted_at is not None:
        raise Conflict("This suspension was lifted already.", code="invalid_state")
    suspension.lifted_at = utcnow()
    suspension.lifted_by_id = actor.id
    db.session.flush()
    return suspension


def list_suspensions(actor: User) -> list[Suspension]:
    statement = (
        select(Suspension).where(Suspension.lifted_at.is_(None)).order_by(Suspension.created_at)
    )
    scope = suspensions_scope(actor)
    if scope is not None:
        statement = statement.where(Suspension.organisation_id == scope)
    return list(db.session.scalars(statement))


def sweep_no_shows(now: datetime | None = None) -> int:
    """Turn confirmed bookings nobody checked in to within the grace period into no-shows.

    Walk-in bookings a manager entered after their start wait for their usage instead. Safe to
    run on several servers at once: each booking is claimed with a row lock that others skip.
    """
    now = now or utcnow()
    candidates = (
        select(Booking)
        .join(Instrument)
        .where(
            Booking.status == BookingStatus.APPROVED,
            Booking.checked_in_at.is_(None),
            Booking.start < now,
            Booking.created_at < Booking.start,  # entered before it began: not walk-in use
            Booking.order_id.is_(None),  # sample runs are the lab's work, charged by the order
        )
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True, of=Booking)
    marked = 0
    for booking in db.session.scalars(candidates.order_by(Booking.start).limit(500)).all():
        if booking.start + timedelta(minutes=booking.instrument.no_show_grace_minutes) > now:
            continue
        mark_no_show(None, booking, now)
        marked += 1
    return marked
