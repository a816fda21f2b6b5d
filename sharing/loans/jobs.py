"""Loans' background work: the daily overdue sweep (notices once a day, at-risk flags)."""

from sharing.core.jobs import Job
from sharing.loans.services import sweep_overdue

JOBS = (Job("loans_overdue", sweep_overdue, "told about %d overdue loan item(s)"),)
