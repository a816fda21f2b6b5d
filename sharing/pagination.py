"""One page of a list and its total: the shape every paginated page and API list shares."""

from __future__ import annotations

from dataclasses import dataclass


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
