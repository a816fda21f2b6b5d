"""The board as people browse it: search and filters, a researcher's applications, statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.challenges.lifecycle import (
    ChallengeStatus,
)
from sharing.challenges.models import Application, Challenge
from sharing.core.pagination import Page
from sharing.core.search import where_every_word
from sharing.extensions import db
from sharing.util.timeutil import utcnow


@dataclass(frozen=True)
class BoardQuery:
    q: str = ""
    field: str | None = None
    status: str | None = None
    min_budget: Decimal | None = None
    max_budget: Decimal | None = None
    deadline_before: datetime | None = None
    organisation_id: int | None = None
    page: int = 1
    per_page: int = 20


def _status_condition(status: str, now: datetime):
    if status == ChallengeStatus.REVIEWING:
        return (Challenge.status == ChallengeStatus.OPEN) & (Challenge.deadline <= now)
    if status == ChallengeStatus.OPEN:
        return (Challenge.status == ChallengeStatus.OPEN) & (Challenge.deadline > now)
    return Challenge.status == status


def list_board(viewer: User | None, query: BoardQuery, now: datetime | None = None) -> Page:
    """The public board (plus the viewer's own drafts) in a fixed number of queries."""
    now = now or utcnow()
    statement = select(Challenge)
    visible = Challenge.status != ChallengeStatus.DRAFT
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        visible = or_(visible, Challenge.organisation_id == viewer.organisation_id)
    statement = statement.where(visible)
    statement = where_every_word(statement, query.q, (Challenge.title, Challenge.description))
    if query.field:
        statement = statement.where(Challenge.field == query.field)
    if query.status:
        statement = statement.where(_status_condition(query.status, now))
    if query.min_budget is not None:
        statement = statement.where(Challenge.budget >= query.min_budget)
    if query.max_budget is not None:
        statement = statement.where(Challenge.budget <= query.max_budget)
    if query.deadline_before is not None:
        statement = statement.where(Challenge.deadline <= query.deadline_before)
    if query.organisation_id is not None:
        statement = statement.where(Challenge.organisation_id == query.organisation_id)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    counts = (
        select(func.count(Application.id))
        .where(Application.challenge_id == Challenge.id)
        .correlate(Challenge)
        .scalar_subquery()
    )
    rows = db.session.execute(
        statement.add_columns(counts.label("application_count"))
        .options(joinedload(Challenge.organisation))
        .order_by(
            case((Challenge.status == ChallengeStatus.OPEN, 0), else_=1),
            Challenge.deadline.desc(),
            Challenge.id,
        )
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    items = []
    for challenge, application_count in rows:
        challenge.application_count = application_count
        items.append(challenge)
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


def list_my_applications(actor: User) -> list[Application]:
    statement = (
        select(Application)
        .where(Application.applicant_id == actor.id)
        .options(joinedload(Application.challenge).joinedload(Challenge.organisation))
        .order_by(Application.created_at.desc())
    )
    return list(db.session.scalars(statement))


def board_stats(now: datetime | None = None) -> dict:
    """Public figures (posted, open, awarded, completed, contract value), by field and company."""
    now = now or utcnow()
    public = Challenge.status != ChallengeStatus.DRAFT
    is_open = (Challenge.status == ChallengeStatus.OPEN) & (Challenge.deadline > now)
    taken = Challenge.status.in_([ChallengeStatus.AWARDED, ChallengeStatus.COMPLETED])
    done = Challenge.status == ChallengeStatus.COMPLETED

    def figures(*group):
        return select(
            *group,
            func.count(Challenge.id),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((taken, 1), else_=0)),
            func.sum(case((done, 1), else_=0)),
        ).where(public)

    def as_dict(row) -> dict:
        posted, open_count, awarded, completed = row[-4:]
        return {
            "posted": posted or 0,
            "open": int(open_count or 0),
            "awarded": int(awarded or 0),
            "completed": int(completed or 0),
        }

    total = as_dict(db.session.execute(figures()).one())
    contract_total = db.session.scalar(
        select(func.coalesce(func.sum(Challenge.contract_amount), 0)).where(done)
    )
    by_field = [
        {"field": field.value, **as_dict(row)}
        for row in db.session.execute(figures(Challenge.field).group_by(Challenge.field))
        for field in [row[0]]
    ]
    from sharing.orgs.models import Organisation

    by_org = db.session.execute(
        figures(Organisation.slug, Organisation.name)
        .join(Organisation)
        .group_by(Organisation.slug, Organisation.name)
    ).all()
    return {
        **total,
        "contract_total": Decimal(contract_total or 0),
        "by_field": by_field,
        "by_organisation": [
            {"organisation": row[0], "name": row[1], **as_dict(row)} for row in by_org
        ],
    }
