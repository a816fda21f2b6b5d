"""Booking states and the transitions between them, pure: one table says what is allowed."""

from __future__ import annotations

import enum


class BookingStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


# Active bookings block their time; every other state is final.
ACTIVE_STATUSES = frozenset({BookingStatus.PENDING, BookingStatus.APPROVED})


class Action(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    CANCEL = "cancel"
    COMPLETE = "complete"
    NO_SHOW = "no_show"


TRANSITIONS: dict[tuple[BookingStatus, Action], BookingStatus] = {
    (BookingStatus.PENDING, Action.APPROVE): BookingStatus.APPROVED,
    (BookingStatus.PENDING, Action.REJECT): BookingStatus.REJECTED,
    (BookingStatus.PENDING, Action.CANCEL): BookingStatus.CANCELLED,
    (BookingStatus.APPROVED, Action.CANCEL): BookingStatus.CANCELLED,
    (BookingStatus.APPROVED, Action.COMPLETE): BookingStatus.COMPLETED,
    (BookingStatus.APPROVED, Action.NO_SHOW): BookingStatus.NO_SHOW,
}


class IllegalTransition(ValueError):
    """The booking's state does not allow the action."""


def next_status(current: BookingStatus, action: Action) -> BookingStatus:
    """The state after `action`, or IllegalTransition."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(f"cannot {action.value} a {current.value} booking") from None


def is_active(status: BookingStatus) -> bool:
    return status in ACTIVE_STATUSES
