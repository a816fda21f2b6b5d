"""Receivables and invoices (api.md "Money as the region pays it"): what each customer owes a
provider for a month, invoiced under the provider's number, paid on a day."""

from __future__ import annotations

from decimal import Decimal

from sharing.api.base import Blueprint
from sharing.api.schemas.receivables import (
    InvoiceInSchema,
    InvoiceSchema,
    PaidInSchema,
    ReceivableArgs,
    ReceivableListSchema,
)
from sharing.billing.services import receivables
from sharing.core.session import require_actor

bp = Blueprint("api_receivables", __name__, description="Receivables and invoices")


@bp.get("/receivables")
@bp.arguments(ReceivableArgs, location="query")
@bp.response(200, ReceivableListSchema)
def list_receivables(args):
    """Managers: what each customer organisation owes theirs that month (admins name one)."""
    provider = receivables.provider_for(require_actor(), args.get("organisation"))
    items = receivables.list_receivables(provider, args["month"])
    return {
        "organisation": provider.slug,
        "month": args["month"],
        "items": items,
        "total": sum((item.amount for item in items), Decimal("0.00")),
    }


@bp.post("/invoices")
@bp.arguments(InvoiceInSchema)
@bp.response(201, InvoiceSchema)
def issue_invoice(body):
    """The provider invoices a customer's ended month under its own number, once."""
    actor = require_actor()
    provider = receivables.provider_for(actor, body.get("organisation"))
    return receivables.issue_invoice(
        actor, provider, body["customer"], body["month"], body["number"], body["issued_on"]
    )


@bp.post("/invoices/<int:invoice_id>/paid")
@bp.arguments(PaidInSchema)
@bp.response(200, InvoiceSchema)
def mark_paid(body, invoice_id: int):
    actor = require_actor()
    return receivables.mark_paid(actor, receivables.get_invoice(actor, invoice_id), body["paid_on"])
