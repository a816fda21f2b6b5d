"""Demo innovation vouchers: this year's Qingdao programme, the firms' facts it checks, and
claims in every state made through the real checks, one firm close to its cap."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update

from sharing.auth.models import Role, User
from sharing.billing.models import Charge, ChargeKind, Invoice
from sharing.demo.invoices import invoice_charges
from sharing.extensions import db
from sharing.orgs.models import Organisation, OrgKind
from sharing.util.formatting import local_today
from sharing.vouchers import services
from sharing.vouchers.models import VoucherClaim, VoucherProgramme

HIGH_TECH = {"bv-marine-eq", "bv-biomed"}
NOT_SME = {"jimo-textile"}  # a textile group of several thousand people
RELATED = {"bv-biomed": "ouc-bv"}  # a spin-off of the university institute
# Four sea trials of the 4500 m ROV: what brings the equipment maker close to its cap.
SEA_TRIALS = Decimal("2250000.00")


def seed_vouchers(existing: Counter, created: Counter) -> None:
    if count := db.session.scalar(select(func.count(VoucherClaim.id))):
        existing["voucher claims"] += count
        return
    today = local_today()
    _firm_facts()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    programme = VoucherProgramme(
        name=f"{today.year} 年青岛市科技创新券",
        year=today.year,
        city="青岛",
        enterprise_rate=Decimal("0.10"),
        enterprise_rate_high_tech=Decimal("0.20"),
        provider_rate=Decimal("0.10"),
        enterprise_cap=Decimal("500000.00"),
        provider_cap=Decimal("2000000.00"),
    )
    db.session.add(programme)
    db.session.flush()
    _sea_trials(today)
    # The textile group is no SME: none of its fees can be claimed, so it files no claim
    # (the platform refuses a claim with nothing eligible). The car-parts firm's first claim
    # was sent back for its paperwork and filed again without its last paid month, whose papers
    # it is still gathering: those charges stay open to claim on its voucher page.
    outcome = {
        "bv-marine-eq": ("approve", "pay"),
        "bv-biomed": ("approve",),
        "jimo-auto": ("reject", "file again"),
    }
    for slug, steps in outcome.items():
        user = db.session.scalar(
            select(User)
            .join(Organisation)
            .where(Organisation.slug == slug, User.role == Role.ENTERPRISE)
        )
        charges = _paid_this_year(user.organisation_id, today.year)
        if not charges:
            continue
        claim = services.submit_claim(user, programme, charges)
        created["voucher claims"] += 1
        for step in steps:
            if step == "approve":
                services.decide_claim(admin, claim, "approve", "材料齐全")
            elif step == "pay":
                services.decide_claim(admin, claim, "pay")
            elif step == "reject":
                services.decide_claim(
                    admin, claim, "reject", "委托单与发票抬头不一致，请更正后重新申领"
                )
            else:
                services.submit_claim(user, programme, _before_last_month(charges))
                created["voucher claims"] += 1
    db.session.flush()


def _firm_facts() -> None:
    for org in db.session.scalars(
        select(Organisation).where(Organisation.kind == OrgKind.ENTERPRISE)
    ):
        org.registered_city = org.registered_city or "青岛"
        org.sme = org.slug not in NOT_SME
        org.high_tech = org.slug in HIGH_TECH
    for slug, related in RELATED.items():
        firm = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        other = db.session.scalar(select(Organisation).where(Organisation.slug == related))
        firm.related, other.related = [other], [firm]


def _sea_trials(today: date) -> None:
    """The ROV campaign of two months ago, invoiced and paid."""
    firm = db.session.scalar(select(Organisation).where(Organisation.slug == "bv-marine-eq"))
    ndsc = db.session.scalar(select(Organisation).where(Organisation.slug == "ndsc"))
    day = (today.replace(day=1) - timedelta(days=40)).replace(day=12)
    if day.year != today.year:
        day = today.replace(month=1, day=min(12, today.day))
    month = day.strftime("%Y-%m")
    db.session.add(
        Charge(
            kind=ChargeKind.USAGE,
            customer_org_id=firm.id,
            owner_org_id=ndsc.id,
            amount=SEA_TRIALS,
            quantity=Decimal(4),
            service_date=day,
            month=month,
            description="4500 米级遥控无人潜水器 海试服务（4 个航次）",
        )
    )
    db.session.flush()
    # The trials' month is invoiced as a whole (what an earlier invoice left uncovered) and paid.
    uncovered = db.session.execute(
        select(Charge.id, Charge.amount).where(
            Charge.owner_org_id == ndsc.id,
            Charge.customer_org_id == firm.id,
            Charge.month == month,
            Charge.invoice_id.is_(None),
        )
    ).all()
    manager = db.session.scalar(
        select(User).where(User.organisation_id == ndsc.id, User.role == Role.MANAGER)
    )
    invoice_charges(
        [tuple(row) for row in uncovered],
        provider_org_id=ndsc.id,
        customer_org_id=firm.id,
        month=month,
        number=f"NDSC-{month.replace('-', '')}-ROV",
        issued_on=min(today, day + timedelta(days=25)),
        paid_on=min(today, day + timedelta(days=40)),
        created_by_id=manager.id,
    )
    db.session.execute(  # and what was invoiced of it before is paid too
        update(Invoice)
        .where(
            Invoice.provider_org_id == ndsc.id,
            Invoice.customer_org_id == firm.id,
            Invoice.month == month,
            Invoice.paid_on.is_(None),
        )
        .values(paid_on=min(today, day + timedelta(days=40)))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def _before_last_month(charge_ids: list[int]) -> list[int]:
    """The charges of every month but the last of them."""
    months = dict(
        db.session.execute(select(Charge.id, Charge.month).where(Charge.id.in_(charge_ids))).all()
    )
    last = max(months.values())
    return [charge_id for charge_id in charge_ids if months[charge_id] != last]


def _paid_this_year(firm_id: int, year: int) -> list[int]:
    """The firm's charges of the year that a paid invoice covers (what a firm would claim)."""
    return list(
        db.session.scalars(
            select(Charge.id)
            .join(Invoice, Invoice.id == Charge.invoice_id)
            .where(
                Charge.customer_org_id == firm_id,
                Charge.month.like(f"{year}-%"),
                Invoice.paid_on.is_not(None),
            )
            .order_by(Charge.service_date, Charge.id)
        )
    )
