"""Demo invoices in every state: months paid long ago, one left unpaid past its terms, last
month's partly invoiced and partly still open."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from sharing.auth.models import Role, User
from sharing.billing.models import Charge, Invoice
from sharing.extensions import db
from sharing.util.formatting import local_today
from sharing.util.timeutil import month_after, parse_month


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
    owed = db.session.execute(
        select(Charge.owner_org_id, Charge.customer_org_id, Charge.month, func.sum(Charge.amount))
        .where(Charge.owner_org_id.is_not(None), Charge.month < this_month)
        .group_by(Charge.owner_org_id, Charge.customer_org_id, Charge.month)
        .order_by(Charge.month, Charge.owner_org_id, Charge.customer_org_id)
    ).all()
    serial: Counter = Counter()
    for number, (owner_id, customer_id, month, amount) in enumerate(owed):
        manager = managers.get(owner_id)
        if manager is None or amount <= 0 or (month == last_month and number % 2):
            continue  # half of last month is still to be invoiced
        year, month_number = month_after(*parse_month(month))
        issued_on = min(today, date(year, month_number, 5))
        paid_on = None
        if month != last_month and number % 9 != 4:  # now and then a customer is late
            paid_on = min(today, issued_on + timedelta(days=12 + number % 25))
        serial[owner_id] += 1
        prefix = manager.organisation.slug.upper()
        db.session.add(
            Invoice(
                provider_org_id=owner_id,
                customer_org_id=customer_id,
                month=month,
                number=f"{prefix}-{month.replace('-', '')}-{serial[owner_id]:03d}",
                amount=amount,
                issued_on=issued_on,
                paid_on=paid_on,
                created_by_id=manager.id,
            )
        )
        created["invoices"] += 1
    db.session.flush()
