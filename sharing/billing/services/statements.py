"""Statements, charges and adjustments: what each organisation owes for a month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.billing.access import can_add_adjustments, can_see_statement, statements_scope
from sharing.billing.models import Charge, ChargeKind
from sharing.billing.services.months import _parse_month, ensure_open, is_closed
from sharing.bookings.models import Booking
from sharing.core.errors import BadRequest, Forbidden, NotFound
from sharing.core.pagination import page_count
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.orgs.models import Organisation
from sharing.util.formatting import platform_zone
from sharing.util.money import to_money
from sharing.util.timeutil import utcnow


def add_adjustment(
    actor: User,
    organisation: Organisation,
    amount: Decimal,
    reason: str,
    now: datetime | None = None,
) -> Charge:
    """A correction line in the current open month (positive charges, negative credits)."""
    if not can_add_adjustments(actor):
        raise Forbidden("Only platform admins add adjustments.")
    if not reason.strip():
        raise BadRequest("Say why.", fields={"reason": ["required"]})
    today = (now or utcnow()).astimezone(platform_zone()).date()
    month = today.strftime("%Y-%m")
    ensure_open(month)
    charge = Charge(
        kind=ChargeKind.ADJUSTMENT,
        customer_org_id=organisation.id,
        quantity=Decimal(1),
        unit_price=amount,
        amount=amount,
        description=reason.strip(),
        service_date=today,
        month=month,
        created_by_id=actor.id,
    )
    db.session.add(charge)
    db.session.flush()
    return charge


STATEMENT_PAGE = 100  # lines a statement page shows unless asked otherwise
MAX_STATEMENT_PAGE = 500
GROUPS = ("owner", "account")


@dataclass
class Statement:
    """One page of a customer's month, with the subtotals and total of all of it.

    `group` says what the subtotals are per: the owning organisation (None: adjustments) or the
    funding account (None: charged to none).
    """

    organisation: Organisation
    month: str
    status: str
    lines: list[Charge]
    subtotals: list[tuple[object | None, Decimal]]
    total: Decimal
    line_count: int
    page: int = 1
    per_page: int = STATEMENT_PAGE
    group: str = "owner"

    @property
    def pages(self) -> int:
        return page_count(self.line_count, self.per_page)


def statement_query(organisation_id: int, month: str):
    return (
        select(Charge)
        .where(Charge.customer_org_id == organisation_id, Charge.month == month)
        .order_by(Charge.service_date, Charge.id)
    )


def get_statement_access(actor: User, organisation: Organisation, month: str) -> None:
    """NotFound unless the actor may read the statements; BadRequest for a malformed month."""
    _parse_month(month)
    if not can_see_statement(actor, organisation):
        raise NotFound("No such statement.")


def _subtotals(organisation_id: int, month: str, group: str):
    """[(key, amount)] in order of first appearance, and the number of lines: one GROUP BY, so
    the cost stays flat in memory whatever the month's size."""
    column = Charge.account_id if group == "account" else Charge.owner_org_id
    rows = db.session.execute(
        select(column, func.sum(Charge.amount), func.count(Charge.id))
        .where(Charge.customer_org_id == organisation_id, Charge.month == month)
        .group_by(column)
        .order_by(func.min(Charge.service_date), func.min(Charge.id))
    ).all()
    model = FundingAccount if group == "account" else Organisation
    keys = [key for key, _amount, _count in rows if key is not None]
    found = {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(keys)))}
    subtotals = [(found.get(key), to_money(Decimal(amount))) for key, amount, _count in rows]
    return subtotals, sum(count for _key, _amount, count in rows)


def get_statement(
    actor: User,
    organisation: Organisation,
    month: str,
    page: int = 1,
    per_page: int = STATEMENT_PAGE,
    group: str = "owner",
) -> Statement:
    """A page of one customer's month, its subtotals (per owner or per account) and total."""
    get_statement_access(actor, organisation, month)
    if group not in GROUPS:
        raise BadRequest("Group by owner or account.", fields={"group": ["owner or account"]})
    subtotals, line_count = _subtotals(organisation.id, month, group)
    lines = list(
        db.session.scalars(
            statement_query(organisation.id, month)
            .options(joinedload(Charge.owner), joinedload(Charge.account), joinedload(Charge.user))
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    total = sum((amount for _key, amount in subtotals), Decimal("0.00"))
    status = "closed" if is_closed(month) else "open"
    return Statement(
        organisation, month, status, lines, subtotals, total, line_count, page, per_page, group
    )


def list_statements(actor: User, month: str) -> list[dict]:
    """Every customer organisation's total for the month (members: their own)."""
    _parse_month(month)
    statement = (
        select(Organisation, func.coalesce(func.sum(Charge.amount), 0))
        .join(Charge, Charge.customer_org_id == Organisation.id)
        .where(Charge.month == month)
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    )
    scope = statements_scope(actor)
    if scope is not None:
        statement = statement.where(Organisation.id == scope)
    status = "closed" if is_closed(month) else "open"
    return [
        {"organisation": org, "month": month, "total": Decimal(total), "status": status}
        for org, total in db.session.execute(statement)
    ]


def list_charges(actor: User, month: str | None, organisation: Organisation | None) -> list[Charge]:
    statement = (
        select(Charge)
        .order_by(Charge.service_date, Charge.id)
        .options(joinedload(Charge.customer), joinedload(Charge.account))
    )
    if month:
        _parse_month(month)
        statement = statement.where(Charge.month == month)
    if organisation is not None:
        if not can_see_statement(actor, organisation):
            raise NotFound("No such organisation's charges.")
        statement = statement.where(Charge.customer_org_id == organisation.id)
    elif statements_scope(actor) is not None:
        statement = statement.where(Charge.customer_org_id == statements_scope(actor))
    return list(db.session.scalars(statement.limit(5000)))


def booking_costs(booking_ids: list[int]) -> dict[int, Decimal]:
    """What each booking has been charged so far (bookings without charges are absent)."""
    if not booking_ids:
        return {}
    rows = db.session.execute(
        select(Charge.booking_id, func.sum(Charge.amount))
        .where(Charge.booking_id.in_(booking_ids))
        .group_by(Charge.booking_id)
    )
    return {booking_id: Decimal(total) for booking_id, total in rows}


def charges_of(booking: Booking) -> list[Charge]:
    """The charges a booking caused (usage, no-show or late cancellation)."""
    return list(
        db.session.scalars(
            select(Charge).where(Charge.booking_id == booking.id).order_by(Charge.id)
        )
    )
