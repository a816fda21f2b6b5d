"""Display names of the cruises' enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus, ShareBy

CRUISE_STATUS_LABELS = {
    CruiseStatus.PLANNING: _l("Planning"),
    CruiseStatus.OPEN: _l("Call for berths open"),
    CruiseStatus.ALLOCATED: _l("Berths allocated"),
    CruiseStatus.AT_SEA: _l("At sea"),
    CruiseStatus.COMPLETED: _l("Back in port, completed"),
    CruiseStatus.CANCELLED: _l("Cancelled"),
}

CRUISE_APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Waiting for allocation"),
    ApplicationStatus.ALLOCATED: _l("Given a place"),
    ApplicationStatus.DECLINED: _l("Not placed"),
}

SHARE_BY_LABELS = {
    ShareBy.BERTHS: _l("the berths allocated"),
    ShareBy.EQUAL: _l("equal parts"),
}
