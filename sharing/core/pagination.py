"""One page of a list and its total: the shape every paginated page and API list shares."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from sharing.extensions import db


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` items fill; an empty list still has its one page."""
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Page:
    """One page of results and the total count."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)


def paginate(statement: Select, page: int, per_page: int) -> Page:
    """Run an ordered statement for one page, with the count of all its rows."""
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = list(db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total, page=page, per_page=per_page)
