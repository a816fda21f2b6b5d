"""The rules of invoices, pure: when a month may be invoiced and on which days, and what a
customer's month stands at given which of its charges invoices cover and which are paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sharing.util.timeutil import month_after

NOT_INVOICED, INVOICED, PARTLY_PAID, PAID = "not_invoiced", "invoiced", "partly_paid", "paid"


def first_day_after(year: int, month: int) -> date:
    """The first day after the month: the earliest an invoice of it is dated."""
    return date(*month_after(year, month), 1)


def issue_day_problem(year: int, month: int, issued_on: date, today: date) -> str | None:
    """Why an invoice of the month cannot be dated `issued_on`, or None."""
    if issued_on < first_day_after(year, month):
        return "before the month ended"
    if issued_on > today:
        return "in the future"
    return None


def payment_day_problem(issued_on: date, paid_on: date, today: date) -> str | None:
    """Why a payment of an invoice issued on `issued_on` cannot be dated `paid_on`, or None."""
    if paid_on < issued_on:
        return "before the invoice"
    if paid_on > today:
        return "in the future"
    return None


@dataclass(frozen=True)
class Coverage:
    """A customer's month with one provider: its charges, those an invoice covers, those a
    paid invoice covers."""

    lines: int
    covered: int
    paid: int

    @property
    def status(self) -> str:
        """`not_invoiced` (no charge covered), `paid` (every charge covered and paid),
        `partly_paid` (some paid, the rest not yet: unpaid or never invoiced), else `invoiced`
        (covered charges, none paid)."""
        if self.covered == 0:
            return NOT_INVOICED
        if self.paid == self.lines:
            return PAID
        if self.paid > 0:
            return PARTLY_PAID
        return INVOICED
