"""Demo innovation vouchers: this year's Qingdao programme, the firms' facts it checks, and
claims in every state made through the real checks, one firm close to its cap."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from sharing.auth.models import Role, User
from sharing.billing.models import Charge, ChargeKind, Invoice
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
    outcome = {
        "bv-marine-eq": "paid",
        "bv-biomed": "approved",
        "jimo-auto": "submitted",
        "jimo-textile": "rejected",
    }
    for slug, state in outcome.items():
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
        if state in ("approved", "paid"):
            services.decide_claim(admin, claim, "approve", "材料齐全")
        if state == "paid":
            services.decide_claim(admin, claim, "pay")
        if state == "rejected":
            services.decide_claim(admin, claim, "reject", "非中小企业，不符合申领条件")
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
    invoice = db.session.scalar(
        select(Invoice).where(
            Invoice.provider_org_id == ndsc.id,
            Invoice.customer_org_id == firm.id,
            Invoice.month == month,
        )
    )
    owed = db.session.scalar(
        select(func.sum(Charge.amount)).where(
            Charge.owner_org_id == ndsc.id, Charge.customer_org_id == firm.id, Charge.month == month
        )
    ) or Decimal(0)
    if invoice is None:
        manager = db.session.scalar(
            select(User).where(User.organisation_id == ndsc.id, User.role == Role.MANAGER)
        )
        db.session.add(
            Invoice(
                provider_org_id=ndsc.id,
                customer_org_id=firm.id,
                month=month,
                number=f"NDSC-{month.replace('-', '')}-ROV",
                amount=owed + SEA_TRIALS,
                issued_on=min(today, day + timedelta(days=25)),
                paid_on=min(today, day + timedelta(days=40)),
                created_by_id=manager.id,
            )
        )
    else:
        invoice.amount = owed + SEA_TRIALS
        invoice.paid_on = invoice.paid_on or min(today, invoice.issued_on + timedelta(days=10))
    db.session.flush()


def _paid_this_year(firm_id: int, year: int) -> list[int]:
    """The firm's charges of the year whose invoice is paid (what a firm would claim)."""
    paid = select(Invoice.provider_org_id, Invoice.month).where(
        Invoice.customer_org_id == firm_id, Invoice.paid_on.is_not(None)
    )
    rows = db.session.execute(
        select(Charge.id, Charge.owner_org_id, Charge.month)
        .where(
            Charge.customer_org_id == firm_id,
            Charge.owner_org_id.is_not(None),
            Charge.month.like(f"{year}-%"),
        )
        .order_by(Charge.service_date, Charge.id)
    ).all()
    settled = set(db.session.execute(paid).all())
    return [charge_id for charge_id, owner, month in rows if (owner, month) in settled]
