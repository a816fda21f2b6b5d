"""What the loan pages read from their forms, as the services take it (the same values the
API's schemas make)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from werkzeug.datastructures import MultiDict

from sharing.core.errors import BadRequest
from sharing.loans.lifecycle import Condition, Delivery, Outcome
from sharing.loans.services import CheckLine, LoanRequest, WantedItem
from sharing.util.inputs import day_in_range
from sharing.util.numbers import NumberError, parse_money

MAX_TEXT = 2000


def read_day(text: str | None, field: str) -> date:
    try:
        # Within the days the platform holds (1970-2199), as the API's days are.
        return day_in_range(date.fromisoformat((text or "").strip()))
    except ValueError:
        raise BadRequest("Give a day as YYYY-MM-DD.", fields={field: ["not a day"]}) from None


def read_money(text: str | None, field: str, default: str | None = None) -> Decimal:
    text = (text or "").strip() or default
    try:
        return parse_money(text, exact=False)
    except (NumberError, TypeError):
        raise BadRequest("Give an amount in yuan.", fields={field: ["not an amount"]}) from None


def record_id(value: str) -> int | None:
    """A record id typed in a form: ASCII digits of a size the database holds, else None."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


def _ids(form: MultiDict, name: str) -> list[int]:
    return [i for i in (record_id(v) for v in form.getlist(name)) if i is not None]


def loan_request(form: MultiDict) -> LoanRequest:
    """The basket: the ticked instruments (with an operator where ticked), the days, the rest."""
    operators = set(_ids(form, "operator"))
    items = tuple(WantedItem(i, i in operators) for i in dict.fromkeys(_ids(form, "item")))
    try:
        delivery = Delivery(form.get("delivery", "pickup"))
    except ValueError:
        raise BadRequest("Choose a delivery.", fields={"delivery": ["unknown"]}) from None
    return LoanRequest(
        items=items,
        start_date=read_day(form.get("start_date"), "start_date"),
        end_date=read_day(form.get("end_date"), "end_date"),
        purpose=form.get("purpose", "")[:MAX_TEXT],
        site=form.get("site", "")[:300],
        delivery=delivery,
    )


def checklist(form: MultiDict) -> list[CheckLine]:
    """One line per component shown: present when ticked, its condition and note."""
    lines = []
    for component_id in _ids(form, "component"):
        try:
            condition = Condition(form.get(f"condition_{component_id}", "ok"))
        except ValueError:
            condition = Condition.OK
        lines.append(
            CheckLine(
                component_id,
                form.get(f"present_{component_id}") == "on",
                condition,
                form.get(f"note_{component_id}", "")[:1000],
            )
        )
    return lines


def outcome(form: MultiDict) -> Outcome:
    try:
        return Outcome(form.get("outcome", ""))
    except ValueError:
        raise BadRequest("Choose the outcome.", fields={"outcome": ["unknown"]}) from None
