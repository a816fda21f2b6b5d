"""What each customer owes a provider for a month, from the same charges as the customers'
statements (one total, two views), and the provider's invoices: issued with its number, paid
with a date; unpaid past the payment terms they are overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.billing.access import can_keep_books
from sharing.billing.models import Charge, Invoice
from sharing.billing.services.months import _parse_month
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.orgs.services import get_organisation
from sharing.util.formatting import local_today
from sharing.util.timeutil import month_after

PAYMENT_TERMS_DAYS = 30  # an invoice unpaid this long after it was issued is overdue


@dataclass(frozen=True)
class Receivable:
    customer: Organisation
    month: str
    amount: Decimal  # the month's charges now
    lines: int
    invoice: Invoice | None
    overdue: bool

    @property
    def status(self) -> str:
        """open (not invoiced), invoiced, or paid."""
        if self.invoice is None:
            return "open"
        return "paid" if self.invoice.paid_on else "invoiced"


def provider_for(actor: User, slug: str | None = None) -> Organisation:
    """The organisation whose receivables the actor keeps: a manager's own; an admin names one."""
    if is_admin(actor):
        if not slug:
            raise BadRequest(
                "Name the providing organisation.", fields={"organisation": ["required"]}
            )
        organisation = get_organisation(slug)
        if organisation is None:
            raise NotFound("No organisation '%(slug)s'.", {"slug": slug})
        return organisation
    if actor.role != Role.MANAGER:
        raise Forbidden("Instrument managers keep their organisation's receivables.")
    if slug and slug != actor.organisation.slug:
        raise Forbidden("Managers see their own organisation's receivables.")
    return actor.organisation


def is_overdue(invoice: Invoice, today: date) -> bool:
    return invoice.paid_on is None and today > invoice.issued_on + timedelta(
        days=PAYMENT_TERMS_DAYS
    )


def list_receivables(
    provider: Organisation, month: str, today: date | None = None
) -> list[Receivable]:
    """Each customer's total of the provider's charges in the month, with its invoice."""
    _parse_month(month)
    today = today or local_today()
    rows = db.session.execute(
        select(Charge.customer_org_id, func.sum(Charge.amount), func.count(Charge.id))
        .where(Charge.owner_org_id == provider.id, Charge.month == month)
        .group_by(Charge.customer_org_id)
    ).all()
    invoices = {
        invoice.customer_org_id: invoice
        for invoice in db.session.scalars(
            select(Invoice).where(Invoice.provider_org_id == provider.id, Invoice.month == month)
        )
    }
    customers = {
        org.id: org
        for org in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([r[0] for r in rows] + list(invoices)))
        )
    }
    found = {
        customer_id: Receivable(
            customers[customer_id],
            month,
            Decimal(total),
            count,
            invoices.get(customer_id),
            bool(invoices.get(customer_id)) and is_overdue(invoices[customer_id], today),
        )
        for customer_id, total, count in rows
    }
    for customer_id, invoice in invoices.items():  # invoiced, though no charge is left
        found.setdefault(
            customer_id,
            Receivable(
                customers[customer_id],
                month,
                Decimal("0.00"),
                0,
                invoice,
                is_overdue(invoice, today),
            ),
        )
    return sorted(found.values(), key=lambda r: r.customer.name)


def _month_has_ended(month: str, today: date) -> None:
    year, number = month_after(*_parse_month(month))
    if today < date(year, number, 1):
        raise Conflict("A month is invoiced once it has ended.", code="invalid_state", month=month)


def issue_invoice(
    actor: User,
    provider: Organisation,
    customer_slug: str,
    month: str,
    number: str,
    issued_on: date | None = None,
) -> Invoice:
    """The provider invoices what a customer owes it for an ended month, once."""
    today = local_today()
    customer = get_organisation(customer_slug)
    if customer is None:
        raise BadRequest(
            "No organisation '%(slug)s'.", {"slug": customer_slug}, fields={"customer": ["unknown"]}
        )
    if not number.strip():
        raise BadRequest("An invoice needs its number.", fields={"number": ["required"]})
    _month_has_ended(month, today)
    issued_on = issued_on or today
    if issued_on > today:
        raise BadRequest(
            "An invoice cannot be dated in the future.", fields={"issued_on": ["future"]}
        )
    amount = db.session.scalar(
        select(func.coalesce(func.sum(Charge.amount), 0)).where(
            Charge.owner_org_id == provider.id,
            Charge.customer_org_id == customer.id,
            Charge.month == month,
        )
    )
    if not amount:
        raise Conflict("Nothing is owed for that month.", code="invalid_state", month=month)
    invoice = Invoice(
        provider_org_id=provider.id,
        customer_org_id=customer.id,
        month=month,
        number=number.strip(),
        amount=Decimal(amount),
        issued_on=issued_on,
        created_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(invoice)
    except IntegrityError:
        raise Conflict(
            "That month is invoiced already, or the number is taken.", code="duplicate"
        ) from None
    return invoice


def get_invoice(actor: User, invoice_id: int) -> Invoice:
    """The invoice if the actor keeps the provider's books (or is its customer); else 404."""
    invoice = db.session.get(Invoice, invoice_id)
    mine = invoice is not None and actor.organisation_id in (
        invoice.provider_org_id,
        invoice.customer_org_id,
    )
    if invoice is None or not (is_admin(actor) or mine):
        raise NotFound("No invoice %(id)s.", {"id": invoice_id})
    return invoice


def mark_paid(actor: User, invoice: Invoice, paid_on: date) -> Invoice:
    """The provider's manager records the day the invoice was paid, once."""
    if not can_keep_books(actor, invoice.provider_org_id):
        raise Forbidden("The provider's managers record payments.")
    lock_row(invoice)
    if invoice.paid_on is not None:
        raise Conflict(
            "This invoice is paid already.",
            code="invalid_state",
            paid_on=invoice.paid_on.isoformat(),
        )
    if paid_on > local_today() or paid_on < invoice.issued_on:
        raise BadRequest(
            "A payment is dated between the invoice and today.",
            fields={"paid_on": ["out of range"]},
        )
    invoice.paid_on = paid_on
    db.session.flush()
    return invoice
