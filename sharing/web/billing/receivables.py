"""The receivables page: what each customer owes the manager's organisation for a month, with
the invoice issued for it, its payment, and the overdue ones highlighted."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from sharing.auth.access import is_admin
from sharing.billing.services import receivables
from sharing.orgs.services import list_organisations
from sharing.util.formatting import local_today, localized
from sharing.util.inputs import day_or_none
from sharing.util.spreadsheet import Column
from sharing.util.spreadsheet import download as table_download
from sharing.util.timeutil import parse_month
from sharing.web.forms import run_step

bp = Blueprint("receivables", __name__)


def _month() -> str:
    """The asked month, else the last one (the month invoiced now)."""
    asked = request.args.get("month", "")
    try:
        parse_month(asked)
    except ValueError:
        return (local_today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return asked


@bp.get("/receivables")
@login_required
def index():
    month = _month()
    if is_admin(current_user) and not request.args.get("organisation"):
        # An admin keeps no organisation's books: the page asks whose, where the API says 400.
        return render_template(
            "billing/receivables_choose.html", organisations=list_organisations(), month=month
        )
    provider = receivables.provider_for(current_user, request.args.get("organisation"))
    items, internal = receivables.split_internal(
        provider, receivables.list_receivables(provider, month)
    )
    return render_template(
        "billing/receivables.html",
        provider=provider,
        month=month,
        items=items,
        internal=internal,
        total=sum(item.amount for item in items),
        today=local_today(),
    )


STATUS_LABELS = {
    "not_invoiced": _l("Not invoiced"),
    "invoiced": _l("Invoiced"),
    "partly_paid": _l("Partly paid"),
    "paid": _l("Payment received"),
}
COLUMNS = [
    Column("customer", _l("Customer organisation")),
    Column("month", _l("Month")),
    Column("lines", _l("Lines"), "integer"),
    Column("amount", _l("Amount"), "money"),
    Column("invoiced", _l("Invoiced amount"), "money"),
    Column("paid", _l("Paid amount"), "money"),
    Column("outstanding", _l("Outstanding"), "money"),
    Column("status", _l("Status")),
    Column("numbers", _l("Invoice no.")),
    Column("overdue", _l("Overdue")),
]


@bp.get("/receivables.<any(csv, xlsx):suffix>")
@login_required
def download(suffix: str):
    """The month's receivables for the finance office, as CSV or XLSX."""
    month = _month()
    provider = receivables.provider_for(current_user, request.args.get("organisation"))
    rows = [
        {
            "customer": localized(item.customer),
            "month": month,
            "lines": item.lines,
            "amount": item.amount,
            "invoiced": item.invoiced,
            "paid": item.paid,
            "outstanding": item.outstanding,
            "status": str(STATUS_LABELS[item.status]),
            "numbers": ", ".join(invoice.number for invoice in item.invoices),
            "overdue": _("Overdue") if item.overdue else "",
        }
        for item in receivables.split_internal(
            provider, receivables.list_receivables(provider, month)
        )[0]
    ]
    return table_download(COLUMNS, rows, f"receivables-{provider.slug}-{month}", suffix, month)


def _done(act, success: str, month: str):
    run_step(act, success)
    return redirect(
        url_for(
            "receivables.index", month=month, organisation=request.form.get("organisation") or None
        )
    )


@bp.post("/receivables/invoice")
@login_required
def invoice():
    month = request.form.get("month", "")
    provider = receivables.provider_for(current_user, request.form.get("organisation"))
    return _done(
        lambda: receivables.issue_invoice(
            current_user,
            provider,
            request.form.get("customer", ""),
            month,
            request.form.get("number", ""),
        ),
        _("The invoice is recorded."),
        month,
    )


@bp.post("/invoices/<int:invoice_id>/paid")
@login_required
def paid(invoice_id: int):
    invoice = receivables.get_invoice(current_user, invoice_id)
    paid_on = day_or_none(request.form.get("paid_on", ""))
    if paid_on is None:
        flash(_("Give the day it was paid."), "warning")
        return redirect(url_for("receivables.index", month=invoice.month))
    return _done(
        lambda: receivables.mark_paid(current_user, invoice, paid_on),
        _("The payment is recorded."),
        invoice.month,
    )
