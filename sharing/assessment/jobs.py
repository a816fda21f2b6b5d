"""The assessment's background work: managers are told a calibration falls due."""

from sharing.assessment.reminders import calibrations_due
from sharing.core.jobs import Job

JOBS = (Job("calibration_due", calibrations_due, "sent %d reminder(s) of calibrations"),)
