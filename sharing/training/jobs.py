"""Training's background work: qualifications about to expire are announced."""

from sharing.core.jobs import Job
from sharing.training.reminders import qualifications_expiring

JOBS = (
    Job(
        "qualification_expiring",
        qualifications_expiring,
        "sent %d reminder(s) of expiring qualifications",
    ),
)
