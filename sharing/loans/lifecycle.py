"""Loan and loan-item states and the transitions between them, pure: one table says what is
allowed, and a loan's state follows from its items'."""

from __future__ import annotations

import enum
from collections.abc import Iterable


class LoanStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    ON_LOAN = "on_loan"
    OVERDUE = "overdue"
    RETURNED = "returned"
    CLOSED = "closed"


# Items in these states hold their days (booked days plus turnaround); declined and cancelled
# items free them. Closed items keep them: the borrower pays at least the booked days.
HOLDING_STATUSES = frozenset(
    {
        LoanStatus.REQUESTED,
        LoanStatus.APPROVED,
        LoanStatus.ON_LOAN,
        LoanStatus.OVERDUE,
        LoanStatus.RETURNED,
        LoanStatus.CLOSED,
    }
)
# Items out of the owner's hands: the borrower is responsible for them.
OUT_STATUSES = frozenset({LoanStatus.ON_LOAN, LoanStatus.OVERDUE})
# States a loan's dates may still move in.
OPEN_STATUSES = frozenset(
    {LoanStatus.REQUESTED, LoanStatus.APPROVED, LoanStatus.ON_LOAN, LoanStatus.OVERDUE}
)


class LoanAction(enum.StrEnum):
    REQUEST = "request"
    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"
    DISPATCH = "dispatch"
    OVERDUE = "overdue"
    RETURN = "return"
    INSPECT = "inspect"
    EXTEND = "extend"
    DEPOSIT = "deposit"
    INSURANCE = "insurance"
    AT_RISK = "at_risk"


ITEM_TRANSITIONS: dict[tuple[LoanStatus, LoanAction], LoanStatus] = {
    (LoanStatus.REQUESTED, LoanAction.APPROVE): LoanStatus.APPROVED,
    (LoanStatus.REQUESTED, LoanAction.DECLINE): LoanStatus.DECLINED,
    (LoanStatus.APPROVED, LoanAction.DECLINE): LoanStatus.DECLINED,
    (LoanStatus.REQUESTED, LoanAction.CANCEL): LoanStatus.CANCELLED,
    (LoanStatus.APPROVED, LoanAction.CANCEL): LoanStatus.CANCELLED,
    (LoanStatus.APPROVED, LoanAction.DISPATCH): LoanStatus.ON_LOAN,
    (LoanStatus.ON_LOAN, LoanAction.OVERDUE): LoanStatus.OVERDUE,
    (LoanStatus.ON_LOAN, LoanAction.RETURN): LoanStatus.RETURNED,
    (LoanStatus.OVERDUE, LoanAction.RETURN): LoanStatus.RETURNED,
    (LoanStatus.RETURNED, LoanAction.INSPECT): LoanStatus.CLOSED,
}


class IllegalTransition(ValueError):
    """The item's state does not allow the action."""


def next_item_status(current: LoanStatus, action: LoanAction) -> LoanStatus:
    """The item's state after `action`, or IllegalTransition."""
    try:
        return ITEM_TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(f"cannot {action.value} a {current.value} item") from None


# A loan shows the state of its least advanced item, in this order (overdue before on loan:
# one item late makes the loan late).
_PROGRESS = (
    LoanStatus.REQUESTED,
    LoanStatus.APPROVED,
    LoanStatus.OVERDUE,
    LoanStatus.ON_LOAN,
    LoanStatus.RETURNED,
    LoanStatus.CLOSED,
)


def loan_status(items: Iterable[LoanStatus]) -> LoanStatus:
    """The loan's state from its items': declined or cancelled if any is, otherwise the least
    advanced item's (an overdue item counts before those on loan)."""
    states = set(items)
    for final in (LoanStatus.DECLINED, LoanStatus.CANCELLED):
        if final in states:
            return final
    for state in _PROGRESS:
        if state in states:
            return state
    return LoanStatus.REQUESTED


class DepositStatus(enum.StrEnum):
    NONE = "none"
    RECEIVED = "received"
    RELEASED = "released"
    RETAINED = "retained"


class Delivery(enum.StrEnum):
    PICKUP = "pickup"
    COURIER = "courier"
    WITH_CRUISE = "with_cruise"


class Condition(enum.StrEnum):
    OK = "ok"
    WORN = "worn"
    DAMAGED = "damaged"


class Outcome(enum.StrEnum):
    OK = "ok"
    DAMAGED = "damaged"
    LOST = "lost"


class CheckStage(enum.StrEnum):
    DISPATCH = "dispatch"
    RETURN = "return"
