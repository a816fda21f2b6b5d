"""Loan services: load -> decide (pure, sharing.loans.policy) -> persist; they never commit."""

from sharing.loans.services.common import quote_of
from sharing.loans.services.handover import CheckLine, dispatch_item, inspect_item, return_item
from sharing.loans.services.kit import (
    add_component,
    add_operator,
    list_components,
    list_operators,
)
from sharing.loans.services.listing import (
    busy_instruments,
    get_loan,
    list_loans,
    loan_busy,
    loan_pages,
    loans_of_user_feed,
)
from sharing.loans.services.overdue import sweep_overdue
from sharing.loans.services.requesting import (
    LoanRequest,
    WantedItem,
    preview_loan,
    quote_loan,
    request_loan,
)
from sharing.loans.services.transitions import (
    approve_item,
    cancel_loan,
    decline_item,
    extend_loan,
    item_of,
    record_deposit,
    set_insurance,
)

__all__ = [
    "CheckLine",
    "LoanRequest",
    "WantedItem",
    "add_component",
    "add_operator",
    "approve_item",
    "busy_instruments",
    "cancel_loan",
    "decline_item",
    "dispatch_item",
    "extend_loan",
    "get_loan",
    "inspect_item",
    "item_of",
    "list_components",
    "list_loans",
    "list_operators",
    "loan_busy",
    "loan_pages",
    "loans_of_user_feed",
    "preview_loan",
    "quote_loan",
    "quote_of",
    "record_deposit",
    "request_loan",
    "return_item",
    "set_insurance",
    "sweep_overdue",
]
