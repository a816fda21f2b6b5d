"""Reading loans: one for those who may see it, lists by status, instrument and dates, the days
loans hold on an instrument's calendar, and a person's loans for their calendar feed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import not_, or_, select
from sqlalchemy.orm import selectinload

from sharing.auth.models import User
from sharing.bookings.conflicts import Busy
from sharing.core.errors import NotFound
from sharing.core.pagination import Page, paginate
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.loans.access import can_view_loan, visible_loans
from sharing.loans.lifecycle import HOLDING_STATUSES, LoanStatus
from sharing.loans.models import Loan, LoanItem
from sharing.loans.policy import blocked_until, day_interval, item_conflicts
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval

_LOADED = (selectinload(Loan.items).joinedload(LoanItem.instrument), selectinload(Loan.borrower))


def _loan_busy(days, loan_id: int) -> Busy:
    return Busy(days.start, days.end, "loan", loan_id)


def get_loan(actor: User, loan_id: int) -> Loan:
    """The loan, or 404 for those who may not see it."""
    loan = db.session.scalar(select(Loan).where(Loan.id == loan_id).options(*_LOADED))
    if loan is None or not can_view_loan(actor, loan):
        raise NotFound("No loan %(id)s.", {"id": loan_id})
    return loan


def list_loans(
    actor: User,
    status: LoanStatus | None = None,
    instrument_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[Loan]:
    """The loans the caller may see; `status` matches the loan or any of its items (an overdue
    item makes its loan show in the overdue list)."""
    statement = select(Loan).where(visible_loans(actor)).options(*_LOADED)
    items = select(LoanItem.loan_id)
    filtered = False
    if status is not None:
        statement = statement.where(
            or_(Loan.status == status, Loan.id.in_(items.where(LoanItem.status == status)))
        )
    if instrument_id is not None:
        items = items.where(LoanItem.instrument_id == instrument_id)
        filtered = True
    if filtered:
        statement = statement.where(Loan.id.in_(items))
    if first is not None:
        statement = statement.where(Loan.end_date >= first)
    if last is not None:
        statement = statement.where(Loan.start_date <= last)
    return list(db.session.scalars(statement.order_by(Loan.start_date.desc(), Loan.id.desc())))


LOANS_PER_PAGE = 50


def loan_pages(
    actor: User,
    status: LoanStatus | None = None,
    borrowed_page: int = 1,
    lent_page: int = 1,
    per_page: int | None = None,
) -> tuple[Page, Page]:
    """The loans page's two lists, a page of each, latest first: those of the caller's side
    (`is_borrower_side`) and the others the caller may see (those of the caller's instruments).
    A lender of the whole district's gear has thousands: the page reads one page of them."""
    per_page = per_page or LOANS_PER_PAGE
    statement = select(Loan).where(visible_loans(actor)).options(*_LOADED)
    if status is not None:
        statement = statement.where(
            or_(
                Loan.status == status,
                Loan.id.in_(select(LoanItem.loan_id).where(LoanItem.status == status)),
            )
        )
    statement = statement.order_by(Loan.start_date.desc(), Loan.id.desc())
    mine = or_(Loan.borrower_id == actor.id, Loan.organisation_id == actor.organisation_id)
    return (
        paginate(statement.where(mine), max(1, borrowed_page), per_page),
        paginate(statement.where(not_(mine)), max(1, lent_page), per_page),
    )


def loan_busy(instrument_id: int, window: Interval) -> list[Busy]:
    """The days loans hold on the instrument within `window`, as busy time of kind "loan"."""
    zone = platform_zone()
    first = window.start.astimezone(zone).date()
    last = window.end.astimezone(zone).date()
    rows = db.session.execute(
        select(LoanItem.loan_id, LoanItem.start_date, LoanItem.blocked_until).where(
            LoanItem.instrument_id == instrument_id,
            LoanItem.status.in_(sorted(HOLDING_STATUSES)),
            LoanItem.start_date <= last,
            LoanItem.blocked_until > first,
        )
    ).all()
    return [_loan_busy(day_interval(start, until, zone), loan_id) for loan_id, start, until in rows]


def loans_of_user_feed(user: User) -> list[tuple[Loan, LoanItem | None]]:
    """A person's loans for their calendar: those they borrowed, those they go with as an
    operator, and for managers those of their organisation's instruments."""
    from sharing.auth.models import Role

    conditions = [Loan.borrower_id == user.id]
    conditions.append(
        Loan.id.in_(select(LoanItem.loan_id).where(LoanItem.operator_user_id == user.id))
    )
    if user.role == Role.MANAGER:
        conditions.append(
            Loan.id.in_(
                select(LoanItem.loan_id).where(LoanItem.owner_org_id == user.organisation_id)
            )
        )
    statement = (
        select(Loan)
        .where(or_(*conditions), Loan.status.notin_([LoanStatus.CANCELLED, LoanStatus.DECLINED]))
        .options(*_LOADED)
        .order_by(Loan.start_date)
    )
    return [(loan, None) for loan in db.session.scalars(statement)]


def busy_instruments(instrument_ids: list[int], first: date, last: date) -> set[int]:
    """Of these day instruments, those not free for a loan of [first, last]: the catalog's
    "free from ... to ..." (a loan's check itself, with each instrument's turnaround)."""
    from sharing.loans.services.common import busy_by_instrument

    zone = platform_zone()
    instruments = list(
        db.session.scalars(select(Instrument).where(Instrument.id.in_(instrument_ids)))
    )
    if not instruments:
        return set()
    until = max(blocked_until(last, i.loan_turnaround_days) for i in instruments)
    busy = busy_by_instrument([i.id for i in instruments], first, until)
    return {
        instrument.id
        for instrument in instruments
        if item_conflicts(first, last, instrument.loan_turnaround_days, busy[instrument.id], zone)
    }
