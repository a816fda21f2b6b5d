"""Decisions on a booking: approve, reject, cancel, each under the booking's row lock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.bookings.access import can_cancel_booking, can_decide_booking, can_view_booking
from sharing.bookings.lifecycle import (
    Action,
    IllegalTransition,
    next_status,
)
from sharing.bookings.models import Booking, BookingEvent
from sharing.bookings.notifications import notify
from sharing.bookings.services.waitlist import offer_freed
from sharing.bookings.signals import booking_cancelled
from sharing.core.errors import Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.util.timeutil import utcnow


def get_booking(actor: User, booking_id: int) -> Booking:
    """The booking if the actor may see it; NotFound otherwise (its existence stays private)."""
    booking = db.session.get(
        Booking, booking_id, options=[joinedload(Booking.instrument), joinedload(Booking.user)]
    )
    if booking is None or not can_view_booking(actor, booking):
        raise NotFound("No booking %(id)s.", {"id": booking_id})
    return booking


def _transition(actor: User, booking: Booking, action: Action, reason: str) -> Booking:
    lock_row(booking)  # a concurrent decision on the same booking waits, then sees its result
    allowed = (
        can_decide_booking if action in (Action.APPROVE, Action.REJECT) else can_cancel_booking
    )
    if action == Action.CANCEL and not booking.is_active:
        allowed = can_view_booking  # a cancelled or final booking: say invalid_state, not 403
    if not allowed(actor, booking):
        raise Forbidden("You may not %(action)s this booking.", {"action": action.value})
    try:
        record_transition(booking, action, actor, reason)
    except IllegalTransition as error:
        raise Conflict(str(error), code="invalid_state", status=booking.status.value) from None
    db.session.flush()
    return booking


def record_transition(
    booking: Booking, action: Action, actor: User | None, reason: str = ""
) -> None:
    """Move the booking to its next state with an audit event and a higher calendar SEQUENCE.

    Callers check who may act; IllegalTransition when the state does not allow the action.
    """
    new_status = next_status(booking.status, action)
    booking.events.append(
        BookingEvent(
            actor=actor, from_status=booking.status, to_status=new_status, reason=reason.strip()
        )
    )
    booking.status = new_status
    booking.sequence += 1


def approve_booking(actor: User, booking: Booking, reason: str = "") -> Booking:
    _transition(actor, booking, Action.APPROVE, reason)
    notify("approved", booking, actor, reason=reason)
    return booking


def reject_booking(actor: User, booking: Booking, reason: str = "") -> Booking:
    _transition(actor, booking, Action.REJECT, reason)
    notify("rejected", booking, actor, reason=reason)
    offer_freed(booking.instrument_id)  # someone may be waiting for this time
    return booking


def cancel_booking(
    actor: User, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    _transition(actor, booking, Action.CANCEL, reason)
    notify("cancelled", booking, actor, reason=reason)
    booking_cancelled.send(booking, actor=actor, at=now or utcnow())
    offer_freed(booking.instrument_id)  # someone may be waiting for this time
    return booking


DECISIONS = {"approve": approve_booking, "reject": reject_booking, "cancel": cancel_booking}


def decide_many(actor: User, booking_ids: list[int], decision: str, reason: str = "") -> list[dict]:
    """Apply one decision to many bookings; each answers for itself, in one transaction."""
    results = []
    for booking_id in booking_ids:
        try:
            booking = DECISIONS[decision](actor, get_booking(actor, booking_id), reason)
        except (Forbidden, NotFound, Conflict) as error:
            results.append(
                {"id": booking_id, "ok": False, "error": error.code, "message": error.message}
            )
        else:
            results.append({"id": booking.id, "ok": True, "status": booking.status.value})
    return results
