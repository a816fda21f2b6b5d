"""The board's background work: applicants are told a deadline is near."""

from sharing.challenges.reminders import deadlines_near
from sharing.core.jobs import Job

JOBS = (Job("challenge_deadline", deadlines_near, "sent %d reminder(s) of deadlines"),)
