"""Display names of the assessment enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.assessment.models import IncidentKind, IncidentStatus

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
