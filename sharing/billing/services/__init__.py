"""Billing operations, one job a module: usage and its charges, no-shows, months, statements.

Never commit. Callers import from here.
"""

from sharing.billing.services.months import (
    close_month,
    ensure_open,
    is_closed,
    month_of,
)
from sharing.billing.services.noshows import (
    lift_suspension,
    list_suspensions,
    mark_no_show,
    sweep_no_shows,
)
from sharing.billing.services.statements import (
    Statement,
    add_adjustment,
    booking_costs,
    charges_of,
    get_statement,
    get_statement_access,
    list_charges,
    list_statements,
    statement_query,
)
from sharing.billing.services.usage import (
    charge_late_cancellation,
    check_in,
    check_out,
    customer_org_id,
    extend_use,
    record_usage,
)

__all__ = [
    "Statement",
    "add_adjustment",
    "booking_costs",
    "charge_late_cancellation",
    "charges_of",
    "check_in",
    "check_out",
    "close_month",
    "customer_org_id",
    "ensure_open",
    "extend_use",
    "get_statement",
    "get_statement_access",
    "is_closed",
    "lift_suspension",
    "list_charges",
    "list_statements",
    "list_suspensions",
    "mark_no_show",
    "month_of",
    "record_usage",
    "statement_query",
    "sweep_no_shows",
]
