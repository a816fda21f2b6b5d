"""Billing's background work: bookings nobody came to become no-shows (and their charges)."""

from sharing.billing.services import sweep_no_shows
from sharing.core.jobs import Job

JOBS = (Job("no_show_sweep", sweep_no_shows, "marked %d booking(s) as no-show"),)
