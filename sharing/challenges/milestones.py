"""Milestones after an award: the company sets them with amounts, the selected team delivers
each, the company accepts or sends it back; the challenge completes when all are accepted.

Each step locks the challenge first, so two decisions on its last milestones cannot both miss
(or both make) the completion.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sharing.auth.models import User
from sharing.challenges.access import can_read_all_applications, is_owner
from sharing.challenges.lifecycle import (
    MILESTONE_STEPS,
    ApplicationStatus,
    ChallengeStatus,
    MilestoneStatus,
    award_of,
    milestones_fit,
)
from sharing.challenges.models import Challenge, Milestone
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.util.timeutil import utcnow


def is_selected_team(user: User | None, challenge: Challenge) -> bool:
    """The people of the organisation whose application was selected."""
    chosen = challenge.awarded_application
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and chosen is not None
        and chosen.status == ApplicationStatus.SELECTED
        and user.organisation_id == chosen.organisation_id
    )


def can_see_milestones(user: User | None, challenge: Challenge) -> bool:
    """The company, admins and the selected team."""
    return can_read_all_applications(user, challenge) or is_selected_team(user, challenge)


def get_milestone(actor: User, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or not can_see_milestones(actor, milestone.challenge):
        raise NotFound("No milestone %(id)s.", {"id": milestone_id})
    return milestone


def _awarded(challenge: Challenge) -> None:
    lock_row(challenge)
    if challenge.status != ChallengeStatus.AWARDED:
        raise Conflict(
            "Milestones belong to an awarded challenge in progress.",
            code="invalid_state",
            status=challenge.status.value,
        )


def add_milestone(
    actor: User, challenge: Challenge, title: str, due: date, amount: Decimal
) -> Milestone:
    """The owner adds a milestone to an awarded challenge."""
    if not is_owner(actor, challenge):
        raise Forbidden("Only the posting company sets milestones.")
    if not title.strip():
        raise BadRequest("A milestone needs a title.", fields={"title": ["required"]})
    require_positive(amount)
    _awarded(challenge)  # locked: two milestones added at once are summed one after the other
    chosen = challenge.awarded_application
    award = award_of(challenge.budget, chosen.quote if chosen is not None else None)
    planned = [m.amount for m in challenge.milestones]
    if not milestones_fit(award, planned, amount):
        raise RuleViolation(
            "The milestones would add up to more than the award (%(award)s).",
            {"award": f"{award:.2f}"},
            violations=[
                {
                    "code": "over_award",
                    "message": f"Milestones sum to at most {award:.2f}; "
                    f"{sum(planned, Decimal('0.00')):.2f} is planned already.",
                }
            ],
        )
    milestone = Milestone(challenge_id=challenge.id, title=title.strip(), due=due, amount=amount)
    db.session.add(milestone)
    db.session.flush()
    return milestone


def _step(milestone: Milestone, step: str) -> None:
    _awarded(milestone.challenge)
    lock_row(milestone)
    if milestone.status not in MILESTONE_STEPS[step]:
        raise Conflict(
            "Cannot %(step)s a milestone that is %(state)s.",
            code="invalid_state",
            params={"step": step, "state": milestone.status.value},
            status=milestone.status.value,
        )


def deliver_milestone(actor: User, milestone: Milestone, note: str) -> Milestone:
    """The selected team hands a milestone in (again, after a rejection)."""
    if not is_selected_team(actor, milestone.challenge):
        raise Forbidden("The selected team delivers milestones.")
    _step(milestone, "deliver")
    milestone.status = MilestoneStatus.DELIVERED
    milestone.delivery_note = note.strip()
    milestone.delivered_at = utcnow()
    milestone.delivered_by_id = actor.id
    db.session.flush()
    return milestone


def decide_milestone(
    actor: User, milestone: Milestone, accept: bool, reason: str = "", now: datetime | None = None
) -> Milestone:
    """The company accepts a delivery or sends it back with a reason; the last acceptance
    completes the challenge with the milestones' amounts as its contract amount."""
    challenge = milestone.challenge
    if not is_owner(actor, challenge):
        raise Forbidden("Only the posting company accepts or rejects a delivery.")
    if not accept and not reason.strip():
        raise BadRequest("Say why the delivery is sent back.", fields={"reason": ["required"]})
    _step(milestone, "accept" if accept else "reject")
    milestone.status = MilestoneStatus.ACCEPTED if accept else MilestoneStatus.REJECTED
    milestone.rejection_reason = "" if accept else reason.strip()
    milestone.decided_at = now or utcnow()
    db.session.flush()
    db.session.refresh(challenge, ["milestones"])
    if accept and all(m.status == MilestoneStatus.ACCEPTED for m in challenge.milestones):
        challenge.status = ChallengeStatus.COMPLETED
        challenge.contract_amount = sum((m.amount for m in challenge.milestones), Decimal("0.00"))
        challenge.completed_at = now or utcnow()
        db.session.flush()
    return milestone


def require_positive(amount: Decimal, field: str = "amount") -> None:
    """Milestone and contract amounts are above zero (400 naming the field)."""
    if amount <= 0:
        raise BadRequest("The amount must be above zero.", fields={field: ["not above zero"]})


def require_no_open_milestones(challenge: Challenge) -> None:
    """A challenge with milestones completes through them, not by hand."""
    if any(m.status != MilestoneStatus.ACCEPTED for m in challenge.milestones):
        raise Conflict(
            "This challenge completes when all its milestones are accepted.",
            code="invalid_state",
            status=challenge.status.value,
        )
