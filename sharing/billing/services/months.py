"""Billing months: which month a moment falls in, keeping months open while charges are
written, and closing them."""

from __future__ import annotations

from datetime import date, datetime

from sharing.auth.models import User
from sharing.billing.access import can_close_months
from sharing.billing.models import ClosedMonth
from sharing.core.errors import BadRequest, Conflict, Forbidden
from sharing.core.locking import BILLING_MONTH, advisory_lock
from sharing.extensions import db
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import month_after, parse_month, utcnow


def month_of(moment: datetime) -> str:
    """YYYY-MM of an instant in the platform zone."""
    return moment.astimezone(platform_zone()).strftime("%Y-%m")


def is_closed(month: str) -> bool:
    return db.session.get(ClosedMonth, month) is not None


def _month_key(month: str) -> int:
    year, number = parse_month(month)
    return year * 100 + number


def ensure_open(month: str) -> None:
    """Refuse any change dated in a closed month; hold the month open until the commit.

    Writers take the month's lock shared, the close takes it exclusively: a charge that saw the
    month open is committed before a close of that month can begin, and a close in progress
    makes the writer wait and then see the month closed.
    """
    advisory_lock(BILLING_MONTH, _month_key(month), shared=True)
    if is_closed(month):
        raise Conflict(
            "%(month)s is closed; record a correction as an adjustment.",
            code="closed_period",
            params={"month": month},
            month=month,
        )


def close_month(actor: User, month: str, now: datetime | None = None) -> ClosedMonth:
    """Freeze a month that has ended (platform zone); waits for charges being written into it."""
    if not can_close_months(actor):
        raise Forbidden("Only platform admins close months.")
    year, number = _parse_month(month)
    first_day_after = date(*month_after(year, number), 1)
    if (now or utcnow()).astimezone(platform_zone()).date() < first_day_after:
        raise Conflict(
            "%(month)s has not ended yet.",
            code="invalid_state",
            params={"month": month},
            month=month,
        )
    advisory_lock(BILLING_MONTH, _month_key(month))
    if is_closed(month):
        raise Conflict(
            "%(month)s is closed already.",
            code="closed_period",
            params={"month": month},
            month=month,
        )
    closed = ClosedMonth(month=month, closed_by_id=actor.id)
    db.session.add(closed)
    db.session.flush()
    return closed


def _parse_month(month: str) -> tuple[int, int]:
    try:
        return parse_month(month)
    except ValueError:
        raise BadRequest("A month is written YYYY-MM.", fields={"month": ["YYYY-MM"]}) from None
