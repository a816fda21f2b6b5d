"""Who may see and act on a booking: one predicate for each question."""

from __future__ import annotations

from sharing.auth.models import Role
from sharing.instruments.access import can_manage_instrument


def can_view_booking(user, booking) -> bool:
    """The booker, the instrument's managers and admins."""
    if user is None or not user.is_authenticated:
        return False
    return booking.user_id == user.id or can_manage_instrument(user, booking.instrument)


def can_decide_booking(user, booking) -> bool:
    """Approve and reject: the instrument's managers and admins."""
    return can_manage_instrument(user, booking.instrument)


def can_cancel_booking(user, booking) -> bool:
    """Cancel: the booker or the instrument's managers, while the booking is active."""
    return booking.is_active and (
        booking.user_id == getattr(user, "id", None)
        or can_manage_instrument(user, booking.instrument)
    )


def sees_all_bookings(user) -> bool:
    return user.role == Role.ADMIN
