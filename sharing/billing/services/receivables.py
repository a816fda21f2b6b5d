"""What each customer owes a provider for a month, from the same charges as the customers'
statements (one total, two views), and the provider's invoices: each covers the charges not yet
invoiced when it is issued, under the provider's number, and is paid on a day; unpaid past the
payment terms it is overdue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.billing.access import can_keep_books
from sharing.billing.invoicing import Coverage, issue_day_problem, payment_day_problem
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
    """What a customer owes a provider for a month: the month's charges now, the part invoices
    cover, the part paid invoices cover, and those invoices."""

    customer: Organisation
    month: str
    amount: Decimal
    invoiced: Decimal
    paid: Decimal
    coverage: Coverage
    invoices: tuple[Invoice, ...]
    overdue: bool

    @property
    def lines(self) -> int:
        return self.coverage.lines

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def status(self) -> str:
        return self.coverage.status

    @property
    def left_to_invoice(self) -> bool:
        """Charges that no invoice covers yet: a (further) invoice can be issued."""
        return self.coverage.covered < self.coverage.lines


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


def split_internal(
    provider: Organisation, items: list[Receivable]
) -> tuple[list[Receivable], Receivable | None]:
    """The receivables proper, and the provider's own use of its instruments apart: a lab does
    not owe itself, so that line is neither a receivable nor invoiced."""
    others = [item for item in items if item.customer.id != provider.id]
    own = next((item for item in items if item.customer.id == provider.id), None)
    return others, own


def is_overdue(invoice: Invoice, today: date) -> bool:
    return invoice.paid_on is None and today > invoice.issued_on + timedelta(
        days=PAYMENT_TERMS_DAYS
    )


def list_receivables(
    provider: Organisation, month: str, today: date | None = None
) -> list[Receivable]:
    """Each customer's charges of the provider in the month, with what invoices cover and what
    is paid: one GROUP BY over the charges and their invoices, and the month's invoices."""
    _parse_month(month)
    today = today or local_today()
    covered = Charge.invoice_id.is_not(None)
    paid = Invoice.paid_on.is_not(None)
    rows = db.session.execute(
        select(
            Charge.customer_org_id,
            func.sum(Charge.amount),
            func.count(Charge.id),
            func.sum(case((covered, Charge.amount), else_=0)),
            func.count(Charge.invoice_id),
            func.sum(case((paid, Charge.amount), else_=0)),
            func.count(Invoice.paid_on),
        )
        .outerjoin(Invoice, Invoice.id == Charge.invoice_id)
        .where(Charge.owner_org_id == provider.id, Charge.month == month)
        .group_by(Charge.customer_org_id)
    ).all()
    invoices: dict[int, list[Invoice]] = defaultdict(list)
    for invoice in db.session.scalars(
        select(Invoice)
        .where(Invoice.provider_org_id == provider.id, Invoice.month == month)
        .order_by(Invoice.issued_on, Invoice.id)
    ):
        invoices[invoice.customer_org_id].append(invoice)
    customers = {
        org.id: org
        for org in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([row[0] for row in rows]))
        )
    }
    found = [
        Receivable(
            customers[customer_id],
            month,
            Decimal(total),
            Decimal(invoiced or 0),
            Decimal(paid_total or 0),
            Coverage(count, covered_count, paid_count),
            tuple(invoices[customer_id]),
            any(is_overdue(invoice, today) for invoice in invoices[customer_id]),
        )
        for customer_id, total, count, invoiced, covered_count, paid_total, paid_count in rows
    ]
    return sorted(found, key=lambda r: r.customer.name)


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
    """The provider invoices the customer's charges of an ended month that no invoice covers
    yet; none left is a duplicate. The charges are claimed by one UPDATE that only takes those
    still uncovered, so two invoices at once cannot cover one charge."""
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
    if problem := issue_day_problem(*_parse_month(month), issued_on, today):
        raise BadRequest(
            "An invoice is dated after its month and not in the future.",
            fields={"issued_on": [problem]},
        )
    invoice = Invoice(
        provider_org_id=provider.id,
        customer_org_id=customer.id,
        month=month,
        number=number.strip(),
        amount=Decimal("0.00"),
        issued_on=issued_on,
        created_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(invoice)
    except IntegrityError:
        raise Conflict(
            "The number %(number)s is taken.", code="duplicate", params={"number": number.strip()}
        ) from None
    amounts = db.session.scalars(
        update(Charge)
        .where(
            Charge.owner_org_id == provider.id,
            Charge.customer_org_id == customer.id,
            Charge.month == month,
            Charge.invoice_id.is_(None),
        )
        .values(invoice_id=invoice.id)
        .returning(Charge.amount)
        .execution_options(synchronize_session=False)
    ).all()
    if not amounts:
        raise Conflict(
            "Every charge of %(month)s is invoiced already.",
            code="duplicate",
            params={"month": month},
        )
    invoice.amount = sum(amounts, Decimal("0.00"))
    db.session.flush()
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
    if problem := payment_day_problem(invoice.issued_on, paid_on, local_today()):
        raise BadRequest(
            "A payment is dated between the invoice and today.", fields={"paid_on": [problem]}
        )
    invoice.paid_on = paid_on
    db.session.flush()
    return invoice
