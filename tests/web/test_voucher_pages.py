"""Voucher pages: a firm claims paid charges on the page; the admin approves and marks it
paid; the providing lab's manager sees the subsidy it receives; the year's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sharing.billing.models import Charge, ChargeKind, Invoice
from sharing.extensions import db
from sharing.vouchers.models import ClaimStatus, VoucherClaim, VoucherProgramme


def test_a_firm_claims_the_admin_pays_and_the_lab_sees_its_subsidy(client, login, make):
    lab = make.org("institute", slug="lab", name="试点实验室")
    firm = make.org("enterprise", slug="firm", name="青岛海纳海洋装备有限公司")
    firm.registered_city, firm.sme = "青岛", True
    manager, firm_user, admin = (
        make.user("manager", lab),
        make.user("enterprise", firm),
        make.admin(),
    )
    db.session.add(
        VoucherProgramme(
            name="2026 年青岛市科技创新券",
            year=2026,
            city="青岛",
            enterprise_rate=Decimal("0.10"),
            enterprise_rate_high_tech=Decimal("0.20"),
            provider_rate=Decimal("0.10"),
            enterprise_cap=Decimal("500000.00"),
            provider_cap=Decimal("2000000.00"),
        )
    )
    for day, amount, paid in (
        (date(2026, 3, 9), "3000.00", True),
        (date(2026, 4, 9), "2000.00", True),
    ):
        db.session.add(
            Charge(
                kind=ChargeKind.USAGE,
                customer_org_id=firm.id,
                owner_org_id=lab.id,
                amount=Decimal(amount),
                quantity=Decimal(1),
                service_date=day,
                month=day.strftime("%Y-%m"),
                description=f"扫描电镜 {day}",
                invoice=Invoice(
                    provider_org_id=lab.id,
                    customer_org_id=firm.id,
                    month=day.strftime("%Y-%m"),
                    number=f"L-{day.month}",
                    amount=Decimal(amount),
                    issued_on=day,
                    paid_on=day if paid else None,
                    created_by_id=manager.id,
                ),
            )
        )
    db.session.commit()
    charges = [c.id for c in db.session.query(Charge).order_by(Charge.id)]

    login(firm_user)
    page = client.get("/vouchers").get_data(as_text=True)
    assert "2026 年青岛市科技创新券" in page and f'value="{charges[0]}"' in page
    client.post("/vouchers/claims", data={"year": "2026", "charge_ids": [str(i) for i in charges]})
    claim = db.session.query(VoucherClaim).one()
    assert claim.enterprise_subsidy == Decimal("500.00") and claim.provider_subsidy == Decimal(
        "500.00"
    )

    client.post("/logout")
    login(admin)
    client.post(f"/vouchers/claims/{claim.id}/approve")
    client.post(f"/vouchers/claims/{claim.id}/pay")
    db.session.expire_all()
    assert db.session.get(VoucherClaim, claim.id).status == ClaimStatus.PAID
    figures = client.get("/vouchers").get_data(as_text=True)
    assert 'id="paid-to-firms">¥500.00' in figures and 'id="paid-to-providers">¥500.00' in figures

    client.post("/logout")
    login(manager)
    lab_page = client.get("/vouchers").get_data(as_text=True)
    assert 'id="provider-subsidy"' in lab_page and "¥500.00" in lab_page
    evidence = client.get(f"/vouchers/claims/{claim.id}/evidence.zip")
    assert evidence.status_code == 200 and evidence.mimetype == "application/zip"


def test_no_programme_yet_is_a_404_page(client, login, make):
    login(make.user("enterprise", make.org("enterprise")))
    assert client.get("/vouchers").status_code == 404
