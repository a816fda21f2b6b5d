"""Cruises' background work: reminders of the report and the data owed after return."""

from sharing.core.jobs import Job
from sharing.cruises.reminders import obligations_due

JOBS = (Job("cruise_obligations_due", obligations_due, "sent %d reminder(s) of cruise duties"),)
