"""What was charged to a funding account: per member and month, for its holder's page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.billing.models import Charge
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.util.money import to_money


@dataclass(frozen=True)
class AccountUse:
    month: str
    user_id: int | None
    user_name: str
    lines: int
    amount: Decimal


def account_usage(account: FundingAccount) -> list[AccountUse]:
    """Each member's charges to the account per month, newest month first (one GROUP BY)."""
    rows = db.session.execute(
        select(
            Charge.month,
            Charge.user_id,
            func.coalesce(User.name, ""),
            func.count(Charge.id),
            func.sum(Charge.amount),
        )
        .outerjoin(User, User.id == Charge.user_id)
        .where(Charge.account_id == account.id)
        .group_by(Charge.month, Charge.user_id, User.name)
        .order_by(Charge.month.desc(), User.name)
    )
    return [
        AccountUse(month, user_id, name, count, to_money(Decimal(amount)))
        for month, user_id, name, count, amount in rows
    ]


def account_total(usage: list[AccountUse]) -> Decimal:
    return sum((use.amount for use in usage), Decimal("0.00"))
