"""Billing's background work: bookings nobody came to become no-shows (and their charges); the
days that ended are rolled up for the reports."""

from sharing.billing.daily import fill_due
from sharing.billing.services import sweep_no_shows
from sharing.core.jobs import Job

JOBS = (
    Job("no_show_sweep", sweep_no_shows, "marked %d booking(s) as no-show"),
    Job("daily_rollup", fill_due, "rolled up %d day(s) of use"),
)
