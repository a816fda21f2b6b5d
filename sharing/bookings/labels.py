"""Display names (and badge styles) of the bookings enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.bookings.lifecycle import BookingStatus

BOOKING_STATUS_LABELS = {
    BookingStatus.PENDING: _l("Awaiting approval"),
    BookingStatus.APPROVED: _l("Confirmed"),
    BookingStatus.REJECTED: _l("Declined"),
    BookingStatus.CANCELLED: _l("Cancelled"),
    BookingStatus.COMPLETED: _l("Completed"),
    BookingStatus.NO_SHOW: _l("No-show"),
}

BOOKING_STATUS_STYLES = {
    BookingStatus.PENDING: "warning",
    BookingStatus.APPROVED: "success",
    BookingStatus.REJECTED: "secondary",
    BookingStatus.CANCELLED: "secondary",
    BookingStatus.COMPLETED: "primary",
    BookingStatus.NO_SHOW: "danger",
}
