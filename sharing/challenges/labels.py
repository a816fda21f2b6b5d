"""Display names (and badge styles) of the challenges enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.challenges.lifecycle import ApplicationStatus, ChallengeStatus, MilestoneStatus
from sharing.challenges.models import ChallengeField

CHALLENGE_FIELD_LABELS = {
    ChallengeField.MARINE_EQUIPMENT: _l("Marine equipment"),
    ChallengeField.MARINE_BIOMEDICINE: _l("Marine biomedicine"),
    ChallengeField.FISHERIES: _l("Fisheries and aquaculture"),
    ChallengeField.MARINE_INFORMATION: _l("Marine information"),
    ChallengeField.NEW_MATERIALS: _l("New materials"),
    ChallengeField.ENVIRONMENT_ENERGY: _l("Environment and energy"),
    ChallengeField.OTHER: _l("Other"),
}

CHALLENGE_STATUS_LABELS = {
    ChallengeStatus.DRAFT: _l("Draft"),
    ChallengeStatus.OPEN: _l("Open for applications"),
    ChallengeStatus.REVIEWING: _l("Under review"),
    ChallengeStatus.AWARDED: _l("Awarded, in progress"),
    ChallengeStatus.COMPLETED: _l("Completed"),
    ChallengeStatus.WITHDRAWN: _l("Withdrawn"),
}

CHALLENGE_STATUS_STYLES = {
    ChallengeStatus.DRAFT: "secondary",
    ChallengeStatus.OPEN: "success",
    ChallengeStatus.REVIEWING: "warning",
    ChallengeStatus.AWARDED: "primary",
    ChallengeStatus.COMPLETED: "dark",
    ChallengeStatus.WITHDRAWN: "light",
}

APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.SELECTED: _l("Selected to lead"),
    ApplicationStatus.NOT_SELECTED: _l("Not selected"),
}

MILESTONE_STATUS_LABELS = {
    MilestoneStatus.PLANNED: _l("Planned"),
    MilestoneStatus.DELIVERED: _l("Delivered"),
    MilestoneStatus.ACCEPTED: _l("Accepted"),
    MilestoneStatus.REJECTED: _l("Sent back"),
}
