"""Challenge and application states, pure; 'reviewing' is computed from the deadline."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal


class ChallengeStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    REVIEWING = "reviewing"  # open and past its deadline: shown, never stored
    AWARDED = "awarded"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


STORED_STATUSES = tuple(s for s in ChallengeStatus if s != ChallengeStatus.REVIEWING)


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"


class MilestoneStatus(enum.StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # sent back: the team delivers it again


# What each milestone step needs first (a rejected milestone is delivered again).
MILESTONE_STEPS = {
    "deliver": frozenset({MilestoneStatus.PLANNED, MilestoneStatus.REJECTED}),
    "accept": frozenset({MilestoneStatus.DELIVERED}),
    "reject": frozenset({MilestoneStatus.DELIVERED}),
}


class ChallengeAction(enum.StrEnum):
    PUBLISH = "publish"
    EDIT = "edit"
    WITHDRAW = "withdraw"
    AWARD = "award"
    COMPLETE = "complete"
    APPLY = "apply"


# For each action: the effective states that allow it and the stored state it leads to.
TRANSITIONS: dict[ChallengeAction, tuple[frozenset[ChallengeStatus], ChallengeStatus | None]] = {
    ChallengeAction.PUBLISH: (frozenset({ChallengeStatus.DRAFT}), ChallengeStatus.OPEN),
    ChallengeAction.EDIT: (frozenset({ChallengeStatus.DRAFT, ChallengeStatus.OPEN}), None),
    ChallengeAction.WITHDRAW: (
        frozenset({ChallengeStatus.DRAFT, ChallengeStatus.OPEN, ChallengeStatus.REVIEWING}),
        ChallengeStatus.WITHDRAWN,
    ),
    ChallengeAction.AWARD: (
        frozenset({ChallengeStatus.OPEN, ChallengeStatus.REVIEWING}),
        ChallengeStatus.AWARDED,
    ),
    ChallengeAction.COMPLETE: (frozenset({ChallengeStatus.AWARDED}), ChallengeStatus.COMPLETED),
    ChallengeAction.APPLY: (frozenset({ChallengeStatus.OPEN}), None),
}


class IllegalChallengeAction(ValueError):
    """The challenge's state does not allow the action."""


def effective_status(stored: ChallengeStatus, deadline: datetime, now: datetime) -> ChallengeStatus:
    """What the board shows: an open challenge past its deadline is under review."""
    if stored == ChallengeStatus.OPEN and now >= deadline:
        return ChallengeStatus.REVIEWING
    return stored


def after(action: ChallengeAction, current: ChallengeStatus) -> ChallengeStatus | None:
    """The stored state after `action` (None: unchanged), or IllegalChallengeAction."""
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise IllegalChallengeAction(f"cannot {action.value} a challenge that is {current.value}")
    return target


def award_of(budget: Decimal, selected_quote: Decimal | None) -> Decimal:
    """What an awarded challenge is worth: the selected team's quote, else the budget."""
    return selected_quote if selected_quote is not None else budget


def milestones_fit(award: Decimal, planned: list[Decimal], new: Decimal) -> bool:
    """Whether a milestone of `new` fits beside those `planned`: together at most the award."""
    return sum(planned, Decimal("0.00")) + new <= award
