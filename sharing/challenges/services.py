"""Board operations: post, edit, publish, withdraw, apply, award, complete; the board and stats."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.challenges.access import (
    can_apply,
    can_post,
    can_read_all_applications,
    can_see_challenge,
    can_withdraw,
    is_owner,
)
from sharing.challenges.lifecycle import (
    ApplicationStatus,
    ChallengeAction,
    ChallengeStatus,
    IllegalChallengeAction,
    after,
    effective_status,
)
from sharing.challenges.milestones import require_no_open_milestones, require_positive
from sharing.challenges.models import Application, Challenge, ChallengeField
from sharing.challenges.notifications import notify_award
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.orgs.services import get_organisation
from sharing.util.timeutil import utcnow

EDITABLE_FIELDS = ("title", "description", "field", "budget", "deadline")


def status_of(challenge: Challenge, now: datetime | None = None) -> ChallengeStatus:
    return effective_status(challenge.status, challenge.deadline, now or utcnow())


def _require(
    action: ChallengeAction, challenge: Challenge, now: datetime
) -> ChallengeStatus | None:
    current = status_of(challenge, now)
    try:
        return after(action, current)
    except IllegalChallengeAction as error:
        code = (
            "deadline_passed"
            if current == ChallengeStatus.REVIEWING
            and action in (ChallengeAction.APPLY, ChallengeAction.EDIT)
            else "invalid_state"
        )
        raise Conflict(str(error), code=code, status=current.value) from None


def _check_fields(data: dict, now: datetime) -> None:
    if "title" in data and not data["title"].strip():
        raise BadRequest("A challenge needs a title.", fields={"title": ["required"]})
    if "field" in data and data["field"] not in set(ChallengeField):
        raise BadRequest(
            "Unknown field '%(field)s'.", {"field": data["field"]}, fields={"field": ["unknown"]}
        )
    if "deadline" in data and data["deadline"] <= now:
        raise BadRequest(
            "The deadline must lie in the future.", fields={"deadline": ["in the past"]}
        )


def post_challenge(actor: User, data: dict, now: datetime | None = None) -> Challenge:
    """An enterprise user posts a challenge for their company (admins name the company)."""
    now = now or utcnow()
    if not can_post(actor):
        raise Forbidden("Only company users and admins post challenges.")
    organisation = actor.organisation
    if is_admin(actor) and data.get("organisation"):
        organisation = get_organisation(data["organisation"])
        if organisation is None:
            raise BadRequest("Unknown organisation.", fields={"organisation": ["unknown"]})
    missing = [name for name in EDITABLE_FIELDS if name not in data and name != "description"]
    if missing:
        raise BadRequest(
            "Some fields are missing.", fields={name: ["required"] for name in missing}
        )
    _check_fields(data, now)
    status = ChallengeStatus(data.get("status", "draft"))
    if status not in (ChallengeStatus.DRAFT, ChallengeStatus.OPEN):
        raise BadRequest(
            "A new challenge is a draft or open.", fields={"status": ["draft or open"]}
        )
    challenge = Challenge(
        organisation=organisation,
        created_by=actor,
        title=data["title"].strip(),
        description=data.get("description", ""),
        field=ChallengeField(data["field"]),
        budget=data["budget"],
        deadline=data["deadline"],
        status=status,
        published_at=now if status == ChallengeStatus.OPEN else None,
    )
    db.session.add(challenge)
    db.session.flush()
    return challenge


def _owned(actor: User, challenge: Challenge, verb: str) -> None:
    if not is_owner(actor, challenge):
        raise Forbidden("Only the posting company may %(verb)s this challenge.", {"verb": verb})


def update_challenge(
    actor: User, challenge: Challenge, data: dict, now: datetime | None = None
) -> Challenge:
    """The owner edits a draft or open challenge; `status: open` publishes a draft."""
    now = now or utcnow()
    _owned(actor, challenge, "edit")
    lock_row(challenge)
    _require(ChallengeAction.EDIT, challenge, now)
    _check_fields(data, now)
    for name in EDITABLE_FIELDS:
        if name in data:
            value = data[name].strip() if name == "title" else data[name]
            setattr(challenge, name, ChallengeField(value) if name == "field" else value)
    if data.get("status") == ChallengeStatus.OPEN and challenge.status == ChallengeStatus.DRAFT:
        publish_challenge(actor, challenge, now)
    elif data.get("status") not in (None, challenge.status.value):
        raise BadRequest(
            "Use withdraw, award or complete to change the state.", fields={"status": ["not here"]}
        )
    db.session.flush()
    return challenge


def publish_challenge(actor: User, challenge: Challenge, now: datetime | None = None) -> Challenge:
    now = now or utcnow()
    _owned(actor, challenge, "publish")
    challenge.status = _require(ChallengeAction.PUBLISH, challenge, now)
    if challenge.deadline <= now:
        raise BadRequest(
            "Move the deadline into the future first.", fields={"deadline": ["in the past"]}
        )
    challenge.published_at = now
    db.session.flush()
    return challenge


def withdraw_challenge(actor: User, challenge: Challenge, now: datetime | None = None) -> Challenge:
    if not can_withdraw(actor, challenge):
        raise Forbidden("Only the posting company may withdraw this challenge.")
    lock_row(challenge)
    challenge.status = _require(ChallengeAction.WITHDRAW, challenge, now or utcnow())
    db.session.flush()
    return challenge


def get_challenge(actor: User | None, challenge_id: int) -> Challenge:
    """The challenge if the viewer may see it (drafts: owners only); NotFound otherwise."""
    challenge = db.session.get(
        Challenge, challenge_id, options=[joinedload(Challenge.organisation)]
    )
    if challenge is None or not can_see_challenge(actor, challenge):
        raise NotFound("No challenge %(id)s.", {"id": challenge_id})
    return challenge


def apply_to_challenge(
    actor: User, challenge: Challenge, data: dict, now: datetime | None = None
) -> Application:
    """揭榜: a researcher of an institute or university proposes to take the challenge on."""
    now = now or utcnow()
    if not can_apply(actor, challenge):
        raise Forbidden(
            "Researchers of institutes and universities apply; never the posting company."
        )
    # The challenge's lock orders this against the deadline, withdrawal, award and the same
    # person's second click; the unique key is the last word.
    lock_row(challenge)
    _require(ChallengeAction.APPLY, challenge, now)
    existing = db.session.scalar(
        select(Application).where(
            Application.challenge_id == challenge.id, Application.applicant_id == actor.id
        )
    )
    if existing is not None:
        raise Conflict(
            "You have applied already; edit your application instead.",
            code="duplicate",
            application_id=existing.id,
        )
    if not data.get("proposal", "").strip():
        raise BadRequest("Describe your approach.", fields={"proposal": ["required"]})
    application = Application(
        challenge_id=challenge.id,
        applicant_id=actor.id,
        organisation_id=actor.organisation_id,
        proposal=data["proposal"],
        team=data.get("team", ""),
        timeline=data.get("timeline", ""),
        quote=data["quote"],
    )
    try:
        with db.session.begin_nested():
            db.session.add(application)
        db.session.refresh(challenge, ["applications"])
    except IntegrityError:
        raise Conflict(
            "You have applied already; edit your application instead.", code="duplicate"
        ) from None
    return application


def get_application(actor: User, application_id: int) -> Application:
    from sharing.challenges.access import can_read_application

    application = db.session.get(Application, application_id)
    if application is None or not can_read_application(actor, application):
        raise NotFound("No application %(id)s.", {"id": application_id})
    return application


def update_application(
    actor: User, application: Application, data: dict, now: datetime | None = None
) -> Application:
    """The applicant edits the proposal until the deadline."""
    if application.applicant_id != actor.id:
        raise Forbidden("Only the applicant edits an application.")
    lock_row(application.challenge)
    _require(ChallengeAction.APPLY, application.challenge, now or utcnow())
    for name in ("proposal", "team", "timeline", "quote"):
        if name in data:
            setattr(application, name, data[name])
    db.session.flush()
    return application


def list_applications(actor: User, challenge: Challenge) -> list[Application]:
    """All applications for the owner's company and admins; an applicant sees only its own."""
    statement = (
        select(Application)
        .where(Application.challenge_id == challenge.id)
        .options(joinedload(Application.applicant), joinedload(Application.organisation))
        .order_by(Application.created_at)
    )
    if can_read_all_applications(actor, challenge):
        return list(db.session.scalars(statement))
    mine = list(db.session.scalars(statement.where(Application.applicant_id == actor.id)))
    if not mine:
        raise Forbidden("Applications are confidential.")
    return mine


def award_challenge(
    actor: User, challenge: Challenge, application_id: int, now: datetime | None = None
) -> Challenge:
    """挂帅: the company selects the application that takes the lead; the others are told."""
    _owned(actor, challenge, "award")
    lock_row(challenge)
    target = _require(ChallengeAction.AWARD, challenge, now or utcnow())
    chosen = next((a for a in challenge.applications if a.id == application_id), None)
    if chosen is None:
        raise BadRequest(
            "That application is not for this challenge.", fields={"application_id": ["unknown"]}
        )
    for application in challenge.applications:
        application.status = (
            ApplicationStatus.SELECTED if application is chosen else ApplicationStatus.NOT_SELECTED
        )
    challenge.status = target
    challenge.awarded_application = chosen
    challenge.awarded_at = now or utcnow()
    db.session.flush()
    notify_award(challenge, actor)
    return challenge


def complete_challenge(
    actor: User, challenge: Challenge, contract_amount: Decimal, now: datetime | None = None
) -> Challenge:
    _owned(actor, challenge, "complete")
    require_positive(contract_amount, "contract_amount")
    lock_row(challenge)
    challenge.status = _require(ChallengeAction.COMPLETE, challenge, now or utcnow())
    require_no_open_milestones(challenge)
    challenge.contract_amount = contract_amount
    challenge.completed_at = now or utcnow()
    db.session.flush()
    return challenge
