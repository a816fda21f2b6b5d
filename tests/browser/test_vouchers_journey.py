"""A company claims innovation vouchers on two paid charges, the preview following its ticks;
the admin opens the claim's line, approves it and marks it paid; the lab that served the company
sees its subsidy on top."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.billing.models import Charge, ChargeKind, Invoice
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.formatting import format_yuan, local_today
from sharing.vouchers.models import ClaimStatus, VoucherClaim, VoucherLine
from tests.browser.conftest import ARTIFACTS as SHOTS
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser
FIRM, LAB = "jimo-auto", "fio"


def _two_paid_charges(live_server) -> list[int]:
    """Two sessions of the firm at the lab this month, on an invoice the firm has paid."""
    with live_server.app.app_context():
        firm = db.session.scalar(select(Organisation).where(Organisation.slug == FIRM))
        lab = db.session.scalar(select(Organisation).where(Organisation.slug == LAB))
        today = local_today()
        month = today.strftime("%Y-%m")
        charges = [
            Charge(
                kind=ChargeKind.USAGE,
                customer_org_id=firm.id,
                owner_org_id=lab.id,
                amount=amount,
                quantity=Decimal(2),
                service_date=today,
                month=month,
                description=f"盐雾腐蚀试验 第 {number} 批",
            )
            for number, amount in ((1, Decimal("1800.00")), (2, Decimal("2600.00")))
        ]
        db.session.add_all(charges)
        manager = db.session.scalar(
            select(User).where(User.organisation_id == lab.id, User.role == "manager")
        )
        invoice = Invoice(
            provider_org_id=lab.id,
            customer_org_id=firm.id,
            month=month,
            number=f"FIO-{month}-JOURNEY",
            amount=Decimal("4400.00"),
            issued_on=today - timedelta(days=1) if today.day > 1 else today,
            created_by_id=manager.id,
        )
        for charge in charges:
            charge.invoice = invoice
        invoice.paid_on = today
        db.session.commit()
        return [charge.id for charge in charges]


def _provider_subsidy(live_server) -> Decimal:
    with live_server.app.app_context():
        lab = db.session.scalar(select(Organisation.id).where(Organisation.slug == LAB))
        return db.session.scalar(
            select(func.coalesce(func.sum(VoucherLine.provider_subsidy), 0))
            .join(VoucherClaim, VoucherClaim.id == VoucherLine.claim_id)
            .where(
                VoucherLine.provider_org_id == lab,
                VoucherClaim.status != ClaimStatus.REJECTED,
            )
        )


def test_a_company_claims_two_charges_the_admin_pays_and_the_lab_sees_its_subsidy(
    browser, live_server
):
    charge_ids = _two_paid_charges(live_server)
    firm = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = firm.new_page()
    sign_in(page, live_server, "enterprise@jimo-auto.example")
    page.goto(live_server + "/vouchers")
    SHOTS.mkdir(exist_ok=True)
    preview = page.locator("#claim-preview")
    cap_left = Decimal(preview.get_attribute("data-cap-left-fen")) / 100
    expect(preview.locator('[data-preview="amount"]')).to_have_text("¥0.00")
    # Ticking the boxes moves the preview: the total, 10 % of it, and the cap left after it.
    for ticked, charge_id in enumerate(charge_ids, start=1):
        page.locator(f"#charge-{charge_id}").check()
        expect(preview.locator('[data-preview="count"]')).to_have_text(str(ticked))
    expect(preview.locator('[data-preview="amount"]')).to_have_text("¥4,400.00")
    expect(preview.locator('[data-preview="subsidy"]')).to_have_text("¥440.00")
    expect(preview.locator('[data-preview="cap-left"]')).to_have_text(
        format_yuan(cap_left - Decimal("440.00"))
    )
    # The month's box ticks every open charge of this month, and clearing it clears them.
    with live_server.app.app_context():
        month = page.locator(f'input[data-month-all="{local_today():%Y-%m}"]')
    month.check()
    expect(page.locator(f"#charge-{charge_ids[0]}")).to_be_checked()
    month.uncheck()
    expect(preview.locator('[data-preview="count"]')).to_have_text("0")
    # What cannot be claimed is greyed with its reason, never a box to tick.
    refused = page.locator("tr.voucher-refused").first
    expect(refused.locator("input[type=checkbox]")).to_be_disabled()
    expect(refused.locator(".badge")).not_to_be_empty()
    for charge_id in charge_ids:
        page.locator(f"#charge-{charge_id}").check()
    page.screenshot(path=str(SHOTS / "vouchers-claim-zh-desktop.png"), full_page=True)
    page.locator("form[action$='/vouchers/claims'] button[type=submit]").click()
    expect(page.get_by_text("申领已提交：2 笔中 2 笔符合条件。")).to_be_visible()
    firm.close()
    with live_server.app.app_context():
        claim = db.session.scalar(select(VoucherClaim).order_by(VoucherClaim.id.desc()))
        claim_id = claim.id
        # 10 % to the firm (not high-tech) and 10 % to the lab of ¥4,400.00
        assert (claim.enterprise_subsidy, claim.provider_subsidy) == (
            Decimal("440.00"),
            Decimal("440.00"),
        )

    admin = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    review = admin.new_page()
    sign_in(review, live_server, "admin@bluevalley.example")
    review.goto(live_server + "/vouchers")
    card = review.locator(f'details[data-claim="{claim_id}"]')
    # One line per claim with its totals; its lines open on a click.
    expect(card.locator('[data-total="amount"]')).to_have_text("¥4,400.00")
    expect(card.locator("table")).to_be_hidden()
    card.locator("summary").click()
    expect(card.locator("table tbody tr")).to_have_count(2)
    review.screenshot(path=str(SHOTS / "vouchers-review-zh-desktop.png"), full_page=True)
    card.locator("button.btn-success").click()
    approved = review.locator(f'details[data-claim="{claim_id}"][data-status="approved"]')
    expect(approved).to_be_visible()
    approved.locator("summary").click()
    approved.locator("button.btn-primary").click()
    expect(review.locator(f'details[data-claim="{claim_id}"][data-status="paid"]')).to_be_visible()
    admin.close()

    lab = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    manager = lab.new_page()
    sign_in(manager, live_server, "manager@fio.example")
    manager.goto(live_server + "/vouchers")
    expect(manager.locator("#provider-subsidy")).to_contain_text(
        format_yuan(_provider_subsidy(live_server))
    )
    lab.close()
