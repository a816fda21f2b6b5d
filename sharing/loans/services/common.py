"""What the loan services share: locks, busy days, history rows, notices, the refusal of a race."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sharing.auth.models import User
from sharing.bookings.conflicts import Busy
from sharing.bookings.services.availability import load_busy_of
from sharing.core.errors import Conflict
from sharing.core.locking import INSTRUMENT_BOOKINGS, LOAN_OPERATORS, advisory_lock, lock_row
from sharing.extensions import db
from sharing.loans.lifecycle import HOLDING_STATUSES, LoanStatus, loan_status
from sharing.loans.models import Loan, LoanEvent, LoanItem
from sharing.loans.policy import ItemTerms, Quote, day_interval, quote
from sharing.notices.messages import leave_messages
from sharing.util.formatting import platform_zone


def _loan_busy(days, loan_id: int) -> Busy:
    return Busy(days.start, days.end, "loan", loan_id)


def lock_instruments(instrument_ids: Iterable[int]) -> None:
    """The bookings' lock on each instrument, in id order (no two writers wait on each other)."""
    for instrument_id in sorted(set(instrument_ids)):
        advisory_lock(INSTRUMENT_BOOKINGS, instrument_id)


def lock_operators(user_ids: Iterable[int]) -> None:
    for user_id in sorted(set(user_ids)):
        advisory_lock(LOAN_OPERATORS, user_id)


def lock_loan(loan: Loan) -> Loan:
    """The loan and its items re-read under row locks (the loan's first: one order for all)."""
    lock_row(loan)
    db.session.execute(
        select(LoanItem.id)
        .where(LoanItem.loan_id == loan.id)
        .order_by(LoanItem.id)
        .with_for_update()
    )
    for item in loan.items:
        db.session.refresh(item)
    return loan


def busy_by_instrument(
    instrument_ids: Iterable[int], first: date, until: date, exclude_loan: int | None = None
) -> dict[int, list[Busy]]:
    """Busy time of each instrument over days [first, until): bookings, downtimes, holds and
    the days other loans hold (kind "loan"), in two statements whatever the number of
    instruments (a loan of five items cost ten before)."""
    ids = sorted(set(instrument_ids))
    zone = platform_zone()
    busy = load_busy_of(ids, day_interval(first, until, zone))
    if not ids:
        return busy
    rows = db.session.execute(
        select(
            LoanItem.instrument_id, LoanItem.loan_id, LoanItem.start_date, LoanItem.blocked_until
        ).where(
            LoanItem.instrument_id.in_(ids),
            LoanItem.status.in_(sorted(HOLDING_STATUSES)),
            LoanItem.start_date < until,
            LoanItem.blocked_until > first,
        )
    ).all()
    for instrument_id, loan_id, start, end in rows:
        if loan_id != exclude_loan:
            busy[instrument_id].append(_loan_busy(day_interval(start, end, zone), loan_id))
    return busy


def held_days(
    instrument_id: int, first: date, until: date, exclude_loan: int | None = None
) -> list[Busy]:
    """`busy_by_instrument` of one instrument."""
    return busy_by_instrument([instrument_id], first, until, exclude_loan)[instrument_id]


def operator_days(user_id: int, exclude_loan: int | None = None) -> list[tuple[date, date]]:
    """The days an operator is already on loans: [(first, last)]."""
    rows = db.session.execute(
        select(LoanItem.loan_id, LoanItem.start_date, LoanItem.end_date).where(
            LoanItem.operator_user_id == user_id,
            LoanItem.status.in_(sorted(HOLDING_STATUSES)),
        )
    ).all()
    return [(first, last) for loan_id, first, last in rows if loan_id != exclude_loan]


def record(
    loan: Loan,
    actor: User | None,
    action: str,
    item: LoanItem | None = None,
    before: LoanStatus | None = None,
    reason: str = "",
) -> None:
    """One history row; the loan's state follows from its items'."""
    loan.status = loan_status(i.status for i in loan.items)
    loan.sequence = (loan.sequence or 0) + 1
    db.session.add(
        LoanEvent(
            loan=loan,
            instrument_id=item.instrument_id if item else None,
            actor_id=actor.id if actor else None,
            action=action,
            from_status=before,
            to_status=item.status if item else loan.status,
            reason=reason,
        )
    )


def tell(user_ids: Iterable[int], message: str, loan: Loan, kind: str = "loan", **params) -> None:
    """A notification for each person, pointing at the loan's page: one of the notices'
    messages (sharing.notices.messages) with its parameters, the loan's number among them."""
    leave_messages(user_ids, message, f"/loans/{loan.id}", kind, loan=loan.id, **params)


def owners_managers(organisation_ids: Iterable[int]) -> list[int]:
    """The managers of these organisations (who hear about their items)."""
    from sharing.auth.models import Role

    return list(
        db.session.scalars(
            select(User.id).where(
                User.organisation_id.in_(sorted(set(organisation_ids))),
                User.role == Role.MANAGER,
                User.active.is_(True),
            )
        )
    )


def flush_or_conflict(message: str, conflicts: list[dict] | None = None) -> None:
    """Flush; PostgreSQL's exclusion constraints (the last word should two writers pass the
    locks) become a 409."""
    try:
        db.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        if "ex_loan_items_no_overlap" in text or "ex_loan_items_operator_once" in text:
            raise Conflict(message, conflicts=conflicts or []) from None
        raise


def item_terms(item: LoanItem) -> ItemTerms:
    """The prices the item was quoted with (the operator's once one is assigned)."""
    return ItemTerms(
        name=item.instrument.name,
        day_rate=item.day_rate,
        mobilisation_fee=item.mobilisation_fee,
        deposit=item.deposit,
        operator_day_rate=item.operator_day_rate if item.with_operator else None,
        name_en=item.instrument.name_en or "",
    )


def quote_of(loan: Loan) -> Quote:
    """The loan's quote as it stands: its items' terms for its days."""
    return quote([item_terms(item) for item in loan.items], loan.days)
