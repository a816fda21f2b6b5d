"""A loan's decisions: each owner approves or declines its items, the borrower cancels, the
deposit and the insurance policy are recorded, the days are extended. Each locks the loan and
its items, re-reads them and refuses a state that no longer allows it (409 `invalid_state`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sharing.auth.models import User
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.extensions import db
from sharing.loans.access import can_borrow_for, can_decide_item, can_extend
from sharing.loans.lifecycle import (
    OPEN_STATUSES,
    DepositStatus,
    IllegalTransition,
    LoanAction,
    LoanStatus,
    next_item_status,
)
from sharing.loans.models import Loan, LoanItem, Operator
from sharing.loans.policy import blocked_until, operator_conflicts
from sharing.loans.services.common import (
    flush_or_conflict,
    lock_instruments,
    lock_loan,
    lock_operators,
    operator_days,
    owners_managers,
    record,
    tell,
)
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow


def item_of(loan: Loan, instrument_id: int) -> LoanItem:
    for item in loan.items:
        if item.instrument_id == instrument_id:
            return item
    raise NotFound("Loan %(id)s has no item %(item)s.", {"id": loan.id, "item": instrument_id})


def step(loan: Loan, item: LoanItem, action: LoanAction, actor: User | None, reason: str = ""):
    """Move one item on (409 `invalid_state` when its state does not allow it) and record it."""
    before = item.status
    try:
        item.status = next_item_status(before, action)
    except IllegalTransition:
        raise Conflict(
            "The item is %(status)s: it cannot be %(action)s now.",
            code="invalid_state",
            params={"status": before.value, "action": action.value},
        ) from None
    record(loan, actor, action, item, before, reason)


def _owner_item(actor: User, loan: Loan, instrument_id: int) -> LoanItem:
    lock_loan(loan)
    item = item_of(loan, instrument_id)
    if not can_decide_item(actor, item):
        raise Forbidden("Only the item's owners decide on it.")
    return item


def _assign_operator(item: LoanItem, operator_id: int | None) -> None:
    if operator_id is None:
        return
    operator = db.session.get(Operator, operator_id)
    if operator is None or operator.instrument_id != item.instrument_id:
        raise BadRequest(
            "No operator %(id)s of this instrument.",
            {"id": operator_id},
            fields={"operator_id": ["unknown operator"]},
        )
    lock_operators([operator.user_id])
    if operator_conflicts(item.start_date, item.end_date, operator_days(operator.user_id)):
        raise Conflict(
            "The operator is on another loan on some of these days.",
            conflicts=[{"instrument_id": item.instrument_id, "kind": "operator"}],
        )
    item.operator_id = operator.id
    item.operator_user_id = operator.user_id
    item.operator_day_rate = operator.day_rate
    item.with_operator = True


def approve_item(
    actor: User, loan: Loan, instrument_id: int, operator_id: int | None = None
) -> Loan:
    """The owner approves its item (and names its operator); the loan is approved when every
    item is."""
    item = _owner_item(actor, loan, instrument_id)
    _assign_operator(item, operator_id)
    step(loan, item, LoanAction.APPROVE, actor)
    flush_or_conflict("The operator took another loan on these days a moment ago.")
    if loan.status == LoanStatus.APPROVED:
        tell([loan.borrower_id], "loan_approved", loan)
    return loan


def _free_all(loan: Loan, action: LoanAction, actor: User, reason: str) -> None:
    for other in loan.items:
        if other.status in (LoanStatus.REQUESTED, LoanStatus.APPROVED):
            step(loan, other, action, actor, reason)


def decline_item(actor: User, loan: Loan, instrument_id: int, reason: str = "") -> Loan:
    """One declined item declines the loan: every item is freed."""
    item = _owner_item(actor, loan, instrument_id)
    if item.status not in (LoanStatus.REQUESTED, LoanStatus.APPROVED):
        step(loan, item, LoanAction.DECLINE, actor, reason)  # raises invalid_state
    item.decline_reason = reason.strip()
    _free_all(loan, LoanAction.DECLINE, actor, reason)
    db.session.flush()
    tell(
        [loan.borrower_id, *owners_managers(i.owner_org_id for i in loan.items)],
        "loan_declined",
        loan,
        item=item.instrument.name,
    )
    return loan


def cancel_loan(actor: User, loan: Loan, reason: str = "") -> Loan:
    """The borrower cancels before dispatch: every item is freed."""
    lock_loan(loan)
    if not can_borrow_for(actor, loan):
        raise Forbidden("Only the borrower cancels a loan.")
    if loan.status not in (LoanStatus.REQUESTED, LoanStatus.APPROVED):
        raise Conflict(
            "A %(status)s loan cannot be cancelled.",
            code="invalid_state",
            params={"status": loan.status.value},
        )
    _free_all(loan, LoanAction.CANCEL, actor, reason)
    db.session.flush()
    tell(owners_managers(i.owner_org_id for i in loan.items), "loan_cancelled", loan)
    return loan


def record_deposit(
    actor: User, loan: Loan, instrument_id: int, amount: Decimal, received_on: date, reference: str
) -> Loan:
    """The owner received the item's deposit (once; before dispatch)."""
    item = _owner_item(actor, loan, instrument_id)
    if item.deposit_status != DepositStatus.NONE or item.status not in (
        LoanStatus.REQUESTED,
        LoanStatus.APPROVED,
    ):
        raise Conflict(
            "The deposit is already recorded or the item has left.", code="invalid_state"
        )
    if amount < item.deposit:
        raise BadRequest(
            "The deposit asked is %(deposit)s.",
            {"deposit": f"{item.deposit:.2f}"},
            fields={"amount": ["less than the deposit asked"]},
        )
    if received_on > local_today():
        raise BadRequest("Received in the future?", fields={"received_on": ["in the future"]})
    item.deposit_status = DepositStatus.RECEIVED
    item.deposit_received = amount
    item.deposit_received_on = received_on
    item.deposit_reference = reference.strip()
    record(loan, actor, LoanAction.DEPOSIT, item, item.status)
    db.session.flush()
    return loan


def set_insurance(actor: User, loan: Loan, policy: str) -> Loan:
    """The borrower names the insurance policy that covers the gear."""
    lock_loan(loan)
    if not can_borrow_for(actor, loan):
        raise Forbidden("Only the borrower names the insurance policy.")
    if loan.status not in OPEN_STATUSES:
        raise Conflict(
            "The loan is %(status)s.", code="invalid_state", params={"status": loan.status.value}
        )
    if loan.insurance_policy == policy.strip():
        return loan  # said again: nothing changes, no second history row
    loan.insurance_policy = policy.strip()
    record(loan, actor, LoanAction.INSURANCE, reason=loan.insurance_policy)
    db.session.flush()
    return loan


def extend_loan(actor: User, loan: Loan, end_date: date, now: datetime | None = None) -> Loan:
    """Move the end: 200 when every item (and its operator) stays free, else 409 and nothing
    changes."""
    from sharing.loans.services.requesting import conflicts_of

    now = now or utcnow()
    lock_instruments(i.instrument_id for i in loan.items)
    lock_loan(loan)
    if not can_extend(actor, loan):
        raise Forbidden("Only the borrower or the owners extend a loan.")
    if loan.status not in OPEN_STATUSES:
        raise Conflict(
            "The loan is %(status)s.", code="invalid_state", params={"status": loan.status.value}
        )
    if end_date == loan.end_date:
        return loan  # asked again: already so
    if end_date < loan.end_date:
        raise BadRequest("An extension ends later.", fields={"end_date": ["before the end"]})
    instruments = {i.instrument_id: i.instrument for i in loan.items}
    conflicts = conflicts_of(
        instruments, loan.end_date + timedelta(days=1), end_date, exclude_loan=loan.id
    )
    # Each item's own turnaround after the old end is its own, not a conflict.
    lock_operators(i.operator_user_id for i in loan.items if i.operator_user_id)
    for item in loan.items:
        if item.operator_user_id and operator_conflicts(
            loan.start_date, end_date, operator_days(item.operator_user_id, exclude_loan=loan.id)
        ):
            conflicts.append({"instrument_id": item.instrument_id, "kind": "operator"})
    if conflicts:
        raise Conflict(
            "Some of the gear is taken on those days; nothing changed.", conflicts=conflicts
        )
    before = loan.end_date
    loan.end_date = end_date
    for item in loan.items:
        item.end_date = end_date
        item.blocked_until = blocked_until(end_date, item.turnaround_days)
        if item.status == LoanStatus.OVERDUE and end_date >= local_today(now):
            item.status = LoanStatus.ON_LOAN
    record(loan, actor, LoanAction.EXTEND, reason=f"{before.isoformat()} -> {end_date.isoformat()}")
    flush_or_conflict("Another loan took these days a moment ago; nothing changed.")
    return loan
