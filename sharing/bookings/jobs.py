"""Bookings' background work: lapsed waiting-list offers passed on, bookings' reminders."""

from sharing.bookings.reminders import bookings_starting_soon, checkouts_overdue
from sharing.bookings.services import sweep_offers
from sharing.core.jobs import Job

JOBS = (
    Job("waitlist_offers", sweep_offers, "made %d waiting-list offer(s)"),
    Job("booking_starts_soon", bookings_starting_soon, "sent %d reminder(s) of bookings"),
    Job("checkout_overdue", checkouts_overdue, "sent %d reminder(s) to check out"),
)
