"""Which usage steps a person may take on a booking now: one predicate for page and service."""

from __future__ import annotations

from sharing.bookings.lifecycle import BookingStatus
from sharing.instruments.access import can_manage_instrument


def usage_actions(user, booking) -> set[str]:
    """check_in, check_out (booker or manager), record and no_show (managers)."""
    manager = can_manage_instrument(user, booking.instrument)
    booker = booking.user_id == getattr(user, "id", None)
    actions: set[str] = set()
    if booking.status == BookingStatus.APPROVED and (manager or booker):
        actions.add("check_out" if booking.checked_in_at else "check_in")
    if manager and booking.status in (BookingStatus.APPROVED, BookingStatus.COMPLETED):
        actions.add("record")
    if manager and booking.status == BookingStatus.APPROVED and booking.checked_in_at is None:
        actions.add("no_show")
    return actions
