"""Display names of the assessment enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.assessment.models import (
    AchievementKind,
    AchievementStatus,
    IncidentKind,
    IncidentStatus,
)

INCIDENT_KIND_LABELS = {
    IncidentKind.FAULT: _l("Fault"),
    IncidentKind.SAFETY: _l("Safety issue"),
    IncidentKind.MAINTENANCE: _l("Maintenance"),
    IncidentKind.CALIBRATION: _l("Calibration"),
}

INCIDENT_STATUS_LABELS = {
    IncidentStatus.OPEN: _l("Not yet fixed"),
    IncidentStatus.RESOLVED: _l("Fixed"),
}

ACHIEVEMENT_KIND_LABELS = {
    AchievementKind.PAPER: _l("Paper"),
    AchievementKind.PATENT: _l("Patent"),
    AchievementKind.AWARD: _l("Award"),
    AchievementKind.STANDARD: _l("Standard"),
    AchievementKind.MAJOR_TASK: _l("Major research task"),
}

ACHIEVEMENT_STATUS_LABELS = {
    AchievementStatus.CLAIMED: _l("Awaiting confirmation"),
    AchievementStatus.CONFIRMED: _l("Confirmed"),
    AchievementStatus.REJECTED: _l("Not confirmed"),
}
