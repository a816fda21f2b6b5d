"""The monthly sums per owner and customer organisation (issue 36): revenue and spend read them,
and they stay the sums of the charges through new charges, adjustments, edits that move a
charge to another month or customer, deletions and writes past the unit of work."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from sharing.billing.income import NO_OWNER, OrganisationMonth, rebuild_pairs
from sharing.billing.models import Charge, ChargeKind
from sharing.billing.reports import revenue, spend
from sharing.extensions import db
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval
from tests.fixtures.billing import LAST_MONTH, usage_charge


def _kept() -> dict:
    return {
        (row.month, row.owner_org_id, row.customer_org_id): (row.amount_fen, row.charges)
        for row in db.session.scalars(select(OrganisationMonth))
        if row.charges
    }


def _from_charges() -> dict:
    sums: dict = defaultdict(lambda: [0, 0])
    for charge in db.session.scalars(select(Charge)):
        key = (charge.month, charge.owner_org_id or NO_OWNER, charge.customer_org_id)
        sums[key][0] += int(charge.amount * 100)
        sums[key][1] += 1
    return {key: tuple(value) for key, value in sums.items()}


def _year_of(month: str) -> Interval:
    zone = platform_zone()
    year = int(month[:4])
    return Interval(datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone))


def test_the_sums_follow_every_change_of_the_charges(make):
    lab, firm, college = make.org("institute"), make.org("enterprise"), make.org("university")
    first = usage_charge(firm, lab, "1200.50")
    usage_charge(firm, lab, "99.49", day=9)
    moved = usage_charge(college, lab, "300.00")
    gone = usage_charge(college, lab, "10.00")
    db.session.add(
        Charge(
            kind=ChargeKind.ADJUSTMENT,
            customer_org_id=firm.id,
            owner_org_id=None,
            amount=Decimal("-50.00"),
            quantity=Decimal(1),
            service_date=date.fromisoformat(f"{LAST_MONTH}-20"),
            month=LAST_MONTH,
            description="credit for a failed run",
        )
    )
    db.session.commit()
    assert _kept()[(LAST_MONTH, lab.id, firm.id)] == (129999, 2)
    assert _kept()[(LAST_MONTH, NO_OWNER, firm.id)] == (-5000, 1)

    earlier = f"{int(LAST_MONTH[:4]) - 1}-12"
    moved.month, moved.customer_org_id = earlier, firm.id
    first.amount = Decimal("1000.00")
    db.session.delete(gone)
    db.session.commit()
    assert _kept() == _from_charges()
    assert (LAST_MONTH, lab.id, college.id) not in _kept()  # its charges all left

    # Revenue leaves the adjustment out (it has no owner); spend counts it.
    window = _year_of(LAST_MONTH)
    by_owner = {(row["organisation"], row["month"]): row["amount"] for row in revenue(window)}
    assert by_owner == {(lab.slug, LAST_MONTH): Decimal("1099.49")}
    by_customer = {(row["organisation"], row["month"]): row["amount"] for row in spend(window)}
    assert by_customer == {(firm.slug, LAST_MONTH): Decimal("1049.49")}
    assert str(by_customer[(firm.slug, LAST_MONTH)]) == "1049.49"

    # Rows written past the unit of work are summed again by the rebuild.
    db.session.execute(
        Charge.__table__.insert(),
        [
            {
                "kind": ChargeKind.USAGE,
                "customer_org_id": college.id,
                "owner_org_id": lab.id,
                "amount": Decimal("7.07"),
                "quantity": Decimal(1),
                "service_date": date.fromisoformat(f"{LAST_MONTH}-04"),
                "month": LAST_MONTH,
                "description": "copied",
            }
        ],
    )
    assert _kept() != _from_charges()
    rebuild_pairs()
    db.session.commit()
    assert _kept() == _from_charges()
