"""Bookings for use that already happened without one: a manager bills the unbooked use an
instrument's agent recorded. The times are the times used, off the slot grid if need be; the
rules of requests (notice, open hours, length) do not apply to what is over, but another active
booking of those times does: the same overlap rule, in the code and in the constraint.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from sharing.auth.models import User
from sharing.bookings.conflicts import BusyIndex, find_conflicts
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking, BookingEvent
from sharing.bookings.services.availability import load_busy
from sharing.core.errors import Conflict, Forbidden
from sharing.core.locking import INSTRUMENT_BOOKINGS
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.services import get_instrument
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, format_datetime


def book_recorded_use(
    actor: User, instrument_id: int, booker: User, used: Interval, reason: str = ""
) -> Booking:
    """A confirmed booking of `used` for `booker`, made by one of the instrument's managers.

    It blocks nothing after its end (the buffer is for bookings yet to come); a booking of the
    same time is a 409 `conflict`.
    """
    instrument = get_instrument(instrument_id, lock=INSTRUMENT_BOOKINGS)
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("Only the instrument's managers record use for others.")
    busy = [b for b in load_busy(instrument.id, used) if b.kind == "booking"]
    clashes = find_conflicts(used, 0, BusyIndex(busy))
    if clashes:
        raise _taken(clashes)
    booking = Booking(
        instrument=instrument,
        user=booker,
        created_by=actor,
        start=used.start,
        end=used.end,
        blocked_until=used.end,
        status=BookingStatus.APPROVED,
        purpose=reason,
        on_behalf=True,
    )
    db.session.add(booking)
    db.session.add(
        BookingEvent(booking=booking, actor=actor, to_status=BookingStatus.APPROVED, reason=reason)
    )
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        if "ex_bookings_no_overlap" not in str(error.orig):
            raise
        raise _taken([]) from None  # booked by a concurrent request since the read
    return booking


def _taken(clashes) -> Conflict:
    zone = platform_zone()
    return Conflict(
        "Another booking holds this time.",
        conflicts=[
            {
                "start": format_datetime(b.start, zone),
                "end": format_datetime(b.end, zone),
                "kind": b.kind,
            }
            for b in clashes
        ],
    )
