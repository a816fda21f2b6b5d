"""Visits and needs: write them down, claim, meet, contract, close, publish on the board.

Every step locks the need, re-reads its stage and adds one history row; a lost race is a 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from sharing.auth.models import Role, User
from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.milestones import require_positive
from sharing.challenges.models import Challenge, ChallengeField
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation
from sharing.core.locking import lock_row
from sharing.core.pagination import Page, paginate
from sharing.extensions import db
from sharing.needs import access
from sharing.needs.lifecycle import IllegalNeedStep, NeedStep, after
from sharing.needs.models import Meeting, Need, NeedEvent, NeedStatus, Visit
from sharing.orgs.models import Organisation, OrgKind
from sharing.orgs.services import get_organisation
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow

PUBLISH_DAYS = 30  # a published need's deadline, unless the publisher names one


def not_in_future(value: date, name: str) -> None:
    """Records of what happened (visits, meetings, contracts) carry past dates."""
    if value > local_today():
        raise BadRequest(
            "A record of what happened cannot be dated in the future.", fields={name: ["future"]}
        )


def company_named(slug: str, name: str = "company") -> Organisation:
    """The enterprise with this slug; 400 naming the field otherwise."""
    company = get_organisation(slug)
    if company is None:
        raise BadRequest("No organisation '%(slug)s'.", {"slug": slug}, fields={name: ["unknown"]})
    if company.kind != OrgKind.ENTERPRISE:
        raise BadRequest(
            "'%(slug)s' is not a company.", {"slug": slug}, fields={name: ["not a company"]}
        )
    return company


# -- visits ------------------------------------------------------------------------------------


def log_visit(actor: User, company_slug: str, visited_on: date, notes: str) -> Visit:
    """Platform staff record a visit to a company (企业走访)."""
    if not access.is_staff(actor):
        raise Forbidden("Platform staff log visits to companies.")
    not_in_future(visited_on, "date")
    visit = Visit(
        company=company_named(company_slug),
        visited_on=visited_on,
        notes=notes.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(visit)
    db.session.flush()
    return visit


def list_visits(
    actor: User,
    start: date | None = None,
    end: date | None = None,
    company_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """Visits, newest first, within [start, end] (both days included)."""
    if not access.is_staff(actor):
        raise Forbidden("The visit log is for platform staff.")
    statement = select(Visit).options(joinedload(Visit.company))
    if start is not None:
        statement = statement.where(Visit.visited_on >= start)
    if end is not None:
        statement = statement.where(Visit.visited_on <= end)
    if company_id is not None:
        statement = statement.where(Visit.company_id == company_id)
    return paginate(statement.order_by(Visit.visited_on.desc(), Visit.id.desc()), page, per_page)


# -- needs -------------------------------------------------------------------------------------


def record_need(actor: User, data: dict) -> Need:
    """Staff write a need down for a company they visited; a company's own people write theirs."""
    slug = data.get("company") or actor.organisation.slug
    if access.is_staff(actor):
        company = company_named(slug)
        visit = db.session.scalar(
            select(Visit)
            .where(Visit.company_id == company.id)
            .order_by(Visit.visited_on.desc(), Visit.id.desc())
            .limit(1)
        )
        if visit is None:
            raise RuleViolation(
                "Log a visit to this company before writing down its needs.",
                violations=[{"code": "not_visited", "message": "The company has no visit."}],
            )
    elif actor.role == Role.ENTERPRISE and slug == actor.organisation.slug:
        company, visit = actor.organisation, None
    else:
        raise Forbidden("Companies write their own needs; platform staff those of visited ones.")
    title = data["title"].strip()
    if not title:
        raise BadRequest("A need needs a title.", fields={"title": ["required"]})
    need = Need(
        company=company,
        visit=visit,
        title=title,
        description=(data.get("description") or "").strip(),
        field=ChallengeField(data["field"]),
        status=NeedStatus.COLLECTED,
        collected_on=local_today(),
        created_by_id=actor.id,
    )
    db.session.add(need)
    db.session.flush()
    _history(need, "collect", None, actor, "")
    return need


def get_need(actor: User | None, need_id: int) -> Need:
    """The need if the actor may see it; NotFound otherwise (it may not know it exists)."""
    need = db.session.get(Need, need_id)
    if need is None or not access.can_see_need(actor, need):
        raise NotFound("No need %(id)s.", {"id": need_id})
    return need


@dataclass(frozen=True)
class NeedQuery:
    status: NeedStatus | None = None
    field: ChallengeField | None = None
    q: str = ""
    company_id: int | None = None
    claimed_by_org_id: int | None = None
    page: int = 1
    per_page: int = 20


def _filtered(statement, actor: User | None, query: NeedQuery):
    statement = statement.where(access.visible_needs(actor))
    if query.status is not None:
        statement = statement.where(Need.status == query.status)
    if query.field is not None:
        statement = statement.where(Need.field == query.field)
    if query.company_id is not None:
        statement = statement.where(Need.company_id == query.company_id)
    if query.claimed_by_org_id is not None:
        statement = statement.where(Need.claimed_by_org_id == query.claimed_by_org_id)
    for word in query.q.split():
        pattern = f"%{word}%"
        statement = statement.where(or_(Need.title.ilike(pattern), Need.description.ilike(pattern)))
    return statement


def list_needs(actor: User | None, query: NeedQuery) -> Page:
    """The needs the actor may see, newest first, filtered by stage, field and words."""
    statement = _filtered(
        select(Need).options(joinedload(Need.company), joinedload(Need.claimed_by_org)),
        actor,
        query,
    )
    statement = statement.order_by(Need.collected_on.desc(), Need.id.desc())
    return paginate(statement, query.page, query.per_page)


def need_ids(actor: User | None, query: NeedQuery) -> set[int]:
    """Every need the actor may see that the query's filters keep, on any page."""
    return set(db.session.scalars(_filtered(select(Need.id), actor, query)))


def count_by_stage(actor: User | None) -> dict[NeedStatus, int]:
    """How many of the needs the actor sees stand at each stage (the desk's tabs)."""
    rows = db.session.execute(
        select(Need.status, func.count()).where(access.visible_needs(actor)).group_by(Need.status)
    ).all()
    counts = dict.fromkeys(NeedStatus, 0)
    counts.update(dict(rows))
    return counts


def _history(need: Need, action: str, before: NeedStatus | None, actor: User, note: str) -> None:
    db.session.add(
        NeedEvent(
            need_id=need.id,
            action=action,
            from_status=before,
            to_status=need.status,
            actor_id=actor.id,
            note=note,
        )
    )
    db.session.flush()


def _step(need: Need, step: NeedStep) -> tuple[NeedStatus, NeedStatus]:
    """Lock the need, re-read its stage and say where `step` leads; 409 if it may not."""
    lock_row(need)
    before = need.status
    try:
        return before, after(step, before)
    except IllegalNeedStep as error:
        raise Conflict(str(error), code="invalid_state", status=before.value) from None


def claim_need(actor: User, need: Need) -> Need:
    """认领: an institute or university takes the need on for its organisation."""
    if not access.is_answerer(actor):
        raise Forbidden("Researchers and managers of institutes and universities claim needs.")
    before, need.status = _step(need, NeedStep.CLAIM)
    need.claimed_by_org_id = actor.organisation_id
    need.claimed_by_id = actor.id
    need.claimed_on = local_today()
    db.session.flush()
    _history(need, NeedStep.CLAIM, before, actor, "")
    return need


def add_meeting(actor: User, need: Need, held_on: date, notes: str) -> Meeting:
    """对接: a dated talk between the company and the claimant; the first starts the talks."""
    if not access.can_take_part(actor, need):
        raise Forbidden("The company, the claimant and platform staff record meetings.")
    not_in_future(held_on, "date")
    before, need.status = _step(need, NeedStep.MEET)
    if need.claimed_on and held_on < need.claimed_on:
        raise BadRequest(
            "The meeting cannot be before the need was claimed.", fields={"date": ["too early"]}
        )
    meeting = Meeting(
        need_id=need.id, held_on=held_on, notes=notes.strip(), recorded_by_id=actor.id
    )
    db.session.add(meeting)
    need.talks_on = min(need.talks_on or held_on, held_on)
    db.session.flush()
    _history(need, "meeting", before, actor, notes.strip())
    return meeting


def contract_need(
    actor: User, need: Need, organisation_slug: str | None, amount: Decimal, signed_on: date
) -> Need:
    """The company and an institute sign a contract on the need."""
    if not access.can_take_part(actor, need):
        raise Forbidden("The company, the claimant and platform staff record the contract.")
    not_in_future(signed_on, "signed_on")
    require_positive(amount)
    before, target = _step(need, NeedStep.CONTRACT)
    party = need.claimed_by_org
    if organisation_slug and organisation_slug != party.slug:
        if get_organisation(organisation_slug) is None:
            raise BadRequest(
                "No organisation '%(slug)s'.",
                {"slug": organisation_slug},
                fields={"organisation": ["unknown"]},
            )
        raise RuleViolation(
            "The contract is signed with the institute that claimed the need.",
            violations=[
                {"code": "not_a_party", "message": f"The need was claimed by {party.slug}."}
            ],
        )
    need.status = target
    need.contract_org_id = party.id
    need.contract_amount = amount
    need.signed_on = signed_on
    db.session.flush()
    _history(need, NeedStep.CONTRACT, before, actor, f"{party.name} ¥{amount}")
    return need


def close_need(actor: User, need: Need, reason: str) -> Need:
    """The company or staff close a need that will not be answered, saying why."""
    if not access.can_close(actor, need):
        raise Forbidden("The company and platform staff close a need.")
    if not reason.strip():
        raise BadRequest("Say why the need is closed.", fields={"reason": ["required"]})
    before, need.status = _step(need, NeedStep.CLOSE)
    need.closed_reason = reason.strip()
    need.closed_on = local_today()
    db.session.flush()
    _history(need, NeedStep.CLOSE, before, actor, reason.strip())
    return need


def publish_need(actor: User, need: Need, data: dict, now: datetime | None = None) -> Challenge:
    """Put the need on the board as an open challenge of its company, linked both ways."""
    now = now or utcnow()
    if not access.can_publish(actor, need):
        raise Forbidden("The company and platform staff publish a need on the board.")
    before, _same = _step(need, NeedStep.PUBLISH)
    if need.challenge_id is not None:
        raise Conflict(
            "This need is on the board already.", code="duplicate", challenge_id=need.challenge_id
        )
    deadline = data.get("deadline") or now + timedelta(days=PUBLISH_DAYS)
    if deadline <= now:
        raise BadRequest("The deadline must lie in the future.", fields={"deadline": ["past"]})
    challenge = Challenge(
        organisation_id=need.company_id,
        created_by_id=actor.id,
        title=need.title,
        description=need.description,
        field=need.field,
        budget=data.get("budget") or Decimal("0.00"),
        deadline=deadline,
        status=ChallengeStatus.OPEN,
        published_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(challenge)
            db.session.flush()
            need.challenge_id = challenge.id
            db.session.flush()
    except IntegrityError:
        raise Conflict("This need is on the board already.", code="duplicate") from None
    _history(need, NeedStep.PUBLISH, before, actor, challenge.title)
    return challenge
