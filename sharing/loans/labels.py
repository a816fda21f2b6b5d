"""Display names of the loans' enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.loans.lifecycle import Condition, DepositStatus, LoanAction, LoanStatus, Outcome

LOAN_STATUS_LABELS = {
    LoanStatus.REQUESTED: _l("Requested"),
    LoanStatus.APPROVED: _l("Approved"),
    LoanStatus.DECLINED: _l("Declined"),
    LoanStatus.CANCELLED: _l("Cancelled"),
    LoanStatus.ON_LOAN: _l("On loan"),
    LoanStatus.OVERDUE: _l("Overdue"),
    LoanStatus.RETURNED: _l("Returned, awaiting inspection"),
    LoanStatus.CLOSED: _l("Closed"),
}

DEPOSIT_STATUS_LABELS = {
    DepositStatus.NONE: _l("Not received"),
    DepositStatus.RECEIVED: _l("Received"),
    DepositStatus.RELEASED: _l("Released"),
    DepositStatus.RETAINED: _l("Retained"),
}

CONDITION_LABELS = {
    Condition.OK: _l("Good"),
    Condition.WORN: _l("Worn"),
    Condition.DAMAGED: _l("Damaged"),
}

OUTCOME_LABELS = {
    Outcome.OK: _l("In order"),
    Outcome.DAMAGED: _l("Damaged"),
    Outcome.LOST: _l("Lost"),
}

# The history's actions (LoanEvent.action holds the enum's value).
LOAN_ACTION_LABELS = {
    LoanAction.REQUEST: _l("Requested"),
    LoanAction.APPROVE: _l("Approved"),
    LoanAction.DECLINE: _l("Declined"),
    LoanAction.CANCEL: _l("Cancelled"),
    LoanAction.DISPATCH: _l("Dispatched"),
    LoanAction.OVERDUE: _l("Overdue"),
    LoanAction.RETURN: _l("Returned"),
    LoanAction.INSPECT: _l("Inspected"),
    LoanAction.EXTEND: _l("Extended"),
    LoanAction.DEPOSIT: _l("Deposit received"),
    LoanAction.INSURANCE: _l("Insurance policy given"),
    LoanAction.AT_RISK: _l("At risk from an overdue loan"),
}

# What each line of a quote is, beside the item it belongs to ("usage": the gear's days).
QUOTE_LINE_LABELS = {
    "mobilisation": _l("%(item)s: mobilisation"),
    "operator": _l("%(item)s: operator"),
}
