"""Display names of the cruises' enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus, ShareBy

CRUISE_STATUS_LABELS = {
    CruiseStatus.PLANNING: _l("Planning"),
    CruiseStatus.OPEN: _l("Open for applications"),
    CruiseStatus.ALLOCATED: _l("Allocated"),
    CruiseStatus.AT_SEA: _l("At sea"),
    CruiseStatus.COMPLETED: _l("Completed"),
    CruiseStatus.CANCELLED: _l("Cancelled"),
}

CRUISE_APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.ALLOCATED: _l("Placed"),
    ApplicationStatus.DECLINED: _l("Not placed"),
}

SHARE_BY_LABELS = {
    ShareBy.BERTHS: _l("the berths allocated"),
    ShareBy.EQUAL: _l("equal parts"),
}
