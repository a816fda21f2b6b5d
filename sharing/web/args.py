"""Query-string arguments of the pages, parsed in one place.

Pages are forgiving where a link was mangled (a malformed page number shows the first page, a
malformed amount filter is left out), but nothing a person can type reaches a query unchecked.
"""

from __future__ import annotations

from decimal import Decimal

from flask import request

from sharing.util.numbers import count_or_none, parse_count, parse_money

MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """The page number: 1 when absent or not 1..MAX_PAGE in ASCII digits."""
    try:
        page = parse_count(request.args.get(name, ""), MAX_PAGE)
    except ValueError:
        return 1
    return max(page, 1)


def money_arg(name: str) -> Decimal | None:
    """A non-negative amount filter the money columns hold; None when absent or malformed."""
    try:
        return parse_money(request.args.get(name, ""), exact=False)
    except ValueError:
        return None


def count_arg(name: str) -> int | None:
    """A record id or count in the query string (None when absent or not ASCII digits)."""
    return count_or_none(request.args.get(name, ""))
