"""Finding accounts among thousands: the admin's user list, searched, filtered and paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sharing.auth.models import Role, User
from sharing.core.pagination import Page, page_count
from sharing.core.search import where_every_word
from sharing.extensions import db
from sharing.orgs.models import Organisation


@dataclass(frozen=True)
class UserQuery:
    """Words match names and e-mail addresses; every word must match."""

    words: str = ""
    organisation: str | None = None  # slug
    locked_at: datetime | None = None  # only accounts still locked out at this moment
    page: int = 1
    per_page: int = 50


def find_users(query: UserQuery) -> Page:
    statement = select(User)
    statement = where_every_word(statement, query.words, (User.name, User.email))
    if query.organisation:
        statement = statement.join(Organisation).where(Organisation.slug == query.organisation)
    if query.locked_at is not None:
        statement = statement.where(User.locked_until > query.locked_at)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page = min(query.page, page_count(total, query.per_page))  # past the end: the last page
    people = db.session.scalars(
        statement.options(joinedload(User.organisation))
        .order_by(User.organisation_id, User.name, User.id)
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    ).all()
    return Page(items=list(people), total=total, page=page, per_page=query.per_page)


def active_managers(organisation_id: int) -> list[User]:
    """The instrument managers of an organisation who can act on what arrives."""
    statement = select(User).where(
        User.organisation_id == organisation_id,
        User.role == Role.MANAGER,
        User.active.is_(True),
    )
    return list(db.session.scalars(statement.order_by(User.id)))
