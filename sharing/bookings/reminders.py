"""Reminders of bookings: one starts soon (each user's lead time: off, 1 h or 24 h), a check-out
is overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from sharing.auth.models import User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.core.mail import link_for
from sharing.extensions import db
from sharing.notices.reminders import BATCH, claim, send_reminder
from sharing.util.formatting import format_local

LEAD_CHOICES = (0, 1, 24)  # hours before a booking; 0: off
LONGEST_LEAD = timedelta(hours=max(LEAD_CHOICES))
CHECKOUT_GRACE = timedelta(minutes=15)


def bookings_starting_soon(now: datetime) -> int:
    """Confirmed bookings within each booker's lead time, not reminded yet."""
    candidates = db.session.execute(
        select(Booking.id, User.reminder_hours)
        .join(User, User.id == Booking.user_id)
        .where(
            Booking.status == BookingStatus.APPROVED,
            Booking.reminded_at.is_(None),
            Booking.start > now,
            Booking.start <= now + LONGEST_LEAD,
            User.reminder_hours > 0,
        )
        .order_by(Booking.start)
        .limit(BATCH)
    ).all()
    sent = 0
    for booking_id, hours in candidates:
        booking = db.session.get(Booking, booking_id)
        if booking.start > now + timedelta(hours=hours):
            continue  # within the longest lead, not yet within this user's
        if not claim(Booking, Booking.reminded_at, booking_id, now):
            continue

        def compose(booking=booking):
            return _("Starting soon: %(name)s", name=booking.instrument.name), [
                _(
                    "Your booking starts at %(start)s and ends at %(end)s.",
                    start=format_local(booking.start),
                    end=format_local(booking.end),
                ),
                link_for("bookings.detail", booking_id=booking.id),
            ]

        send_reminder(booking.user, "booking_starts_soon", compose)
        sent += 1
    return sent


def checkouts_overdue(now: datetime) -> int:
    """Checked-in bookings past their end whose use was never recorded."""
    ids = db.session.scalars(
        select(Booking.id)
        .where(
            Booking.checked_in_at.is_not(None),
            Booking.used_end.is_(None),
            Booking.checkout_reminded_at.is_(None),
            Booking.end <= now - CHECKOUT_GRACE,
            Booking.end > now - timedelta(days=7),
        )
        .limit(BATCH)
    ).all()
    sent = 0
    for booking_id in ids:
        if not claim(Booking, Booking.checkout_reminded_at, booking_id, now):
            continue
        booking = db.session.get(Booking, booking_id)

        def compose(booking=booking):
            return _("Check out: %(name)s", name=booking.instrument.name), [
                _(
                    "Your session ended at %(end)s but was not checked out. Record when you "
                    "finished so that the time is billed right.",
                    end=format_local(booking.end),
                ),
                link_for("bookings.detail", booking_id=booking.id),
            ]

        send_reminder(booking.user, "checkout_overdue", compose)
        sent += 1
    return sent
