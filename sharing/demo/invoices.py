"""Demo invoices in every state: months paid long ago, one left unpaid past its terms, months
partly paid (a first invoice paid, the charges after it invoiced later or not yet), last
month's partly invoiced and partly still open."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby

from sqlalchemy import func, select, update

from sharing.auth.models import Role, User
from sharing.billing.models import Charge, Invoice
from sharing.extensions import db
from sharing.util.formatting import local_today
from sharing.util.timeutil import month_after, parse_month


def invoice_charges(charges: list[tuple[int, Decimal]], **invoice) -> Invoice:
    """An invoice of the given (id, amount) charges, which it then covers."""
    made = Invoice(amount=sum((amount for _id, amount in charges), Decimal("0.00")), **invoice)
    db.session.add(made)
    db.session.flush()
    db.session.execute(
        update(Charge)
        .where(Charge.id.in_([charge_id for charge_id, _amount in charges]))
        .values(invoice_id=made.id)
        .execution_options(synchronize_session=False)
    )
    return made


def _issued(month: str, today: date) -> date:
    year, month_number = month_after(*parse_month(month))
    return min(today, date(year, month_number, 5))


def seed_invoices(existing: Counter, created: Counter) -> None:
    if count := db.session.scalar(select(func.count(Invoice.id))):
        existing["invoices"] += count
        return
    today = local_today()
    this_month = today.strftime("%Y-%m")
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    managers = {
        user.organisation_id: user
        for user in db.session.scalars(
            select(User).where(User.role == Role.MANAGER).order_by(User.id.desc())
        )
    }
    rows = db.session.execute(
        select(Charge.owner_org_id, Charge.customer_org_id, Charge.month, Charge.id, Charge.amount)
        .where(Charge.owner_org_id.is_not(None), Charge.month < this_month)
        .order_by(Charge.month, Charge.owner_org_id, Charge.customer_org_id, Charge.id)
    ).all()
    serial: Counter = Counter()
    keyed = groupby(rows, key=lambda row: (row[0], row[1], row[2]))
    for number, ((owner_id, customer_id, month), group) in enumerate(keyed):
        charges = [(row[3], row[4]) for row in group]
        manager = managers.get(owner_id)
        if manager is None or sum(a for _i, a in charges) <= 0:
            continue
        if month == last_month and number % 2:
            continue  # half of last month is still to be invoiced
        # Now and then a month grew after its invoice: the first part is paid, the rest was
        # invoiced later (still unpaid) or not yet.
        split = len(charges) // 2 if number % 7 == 3 and len(charges) > 1 else len(charges)
        parts = [charges[:split], charges[split:]] if split < len(charges) else [charges]
        for part_number, part in enumerate(parts):
            if part_number == 1 and number % 2:
                break  # the later charges are not invoiced yet
            issued_on = _issued(month, today) + timedelta(days=20 * part_number)
            paid_on = None
            if month != last_month and number % 9 != 4 and part_number == 0:
                paid_on = min(today, issued_on + timedelta(days=12 + number % 25))
            serial[owner_id] += 1
            prefix = manager.organisation.slug.upper()
            invoice_charges(
                part,
                provider_org_id=owner_id,
                customer_org_id=customer_id,
                month=month,
                number=f"{prefix}-{month.replace('-', '')}-{serial[owner_id]:03d}",
                issued_on=min(today, issued_on),
                paid_on=paid_on,
                created_by_id=manager.id,
            )
            created["invoices"] += 1
    db.session.flush()
