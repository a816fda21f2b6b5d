"""The cruise and its applications as state machines, pure: which step is allowed from where.

planning --open--> open --allocate--> allocated --depart--> at_sea --complete--> completed;
cancel from planning, open or allocated (a ship at sea comes home first).
"""

from __future__ import annotations

import enum


class CruiseStatus(enum.StrEnum):
    PLANNING = "planning"
    OPEN = "open"
    ALLOCATED = "allocated"
    AT_SEA = "at_sea"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ShareBy(enum.StrEnum):
    BERTHS = "berths"
    EQUAL = "equal"


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    ALLOCATED = "allocated"
    DECLINED = "declined"


# The statuses that hold the vessel: all but cancelled.
HOLDING = (
    CruiseStatus.PLANNING,
    CruiseStatus.OPEN,
    CruiseStatus.ALLOCATED,
    CruiseStatus.AT_SEA,
    CruiseStatus.COMPLETED,
)

STEPS: dict[str, tuple[CruiseStatus, ...]] = {
    "open": (CruiseStatus.PLANNING,),
    "allocate": (CruiseStatus.OPEN,),
    "depart": (CruiseStatus.ALLOCATED,),
    "complete": (CruiseStatus.AT_SEA,),
    "cancel": (CruiseStatus.PLANNING, CruiseStatus.OPEN, CruiseStatus.ALLOCATED),
}

RESULT: dict[str, CruiseStatus] = {
    "open": CruiseStatus.OPEN,
    "allocate": CruiseStatus.ALLOCATED,
    "depart": CruiseStatus.AT_SEA,
    "complete": CruiseStatus.COMPLETED,
    "cancel": CruiseStatus.CANCELLED,
}


def can_step(status: CruiseStatus, step: str) -> bool:
    """True when `step` may be taken from `status`."""
    return status in STEPS[step]


def next_status(status: CruiseStatus, step: str) -> CruiseStatus | None:
    """The status after `step`, or None when the step is not allowed from `status`."""
    return RESULT[step] if can_step(status, step) else None
