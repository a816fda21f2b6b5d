"""Voucher pages: a firm claims paid charges on the page; the admin approves and marks it
paid; the providing lab's manager sees the subsidy it receives; the year's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sharing.billing.models import Charge, ChargeKind, Invoice
from sharing.extensions import db
from sharing.vouchers.models import ClaimStatus, VoucherClaim, VoucherProgramme
from tests.fixtures.billing import usage_charge


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
        month = day.strftime("%Y-%m")
        usage_charge(
            firm,
            lab,
            amount,
            month,
            day=day.day,
            description=f"扫描电镜 {day}",
            invoice=Invoice(
                provider_org_id=lab.id,
                customer_org_id=firm.id,
                month=month,
                number=f"L-{day.month}",
                amount=Decimal(amount),
                issued_on=day,
                paid_on=day if paid else None,
                created_by_id=manager.id,
            ),
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


def _programme(**caps) -> VoucherProgramme:
    programme = VoucherProgramme(
        name="2026 年青岛市科技创新券",
        year=2026,
        city="青岛",
        enterprise_rate=Decimal("0.10"),
        enterprise_rate_high_tech=Decimal("0.20"),
        provider_rate=Decimal("0.10"),
        enterprise_cap=caps.get("enterprise_cap", Decimal("500000.00")),
        provider_cap=Decimal("2000000.00"),
    )
    db.session.add(programme)
    return programme


def _charge(firm, lab, day, amount, paid, manager, number) -> Charge:
    charge = Charge(
        kind=ChargeKind.USAGE,
        customer_org_id=firm.id,
        owner_org_id=lab.id,
        amount=Decimal(amount),
        quantity=Decimal(1),
        service_date=day,
        month=day.strftime("%Y-%m"),
        description=f"盐雾试验 {number}",
        invoice=Invoice(
            provider_org_id=lab.id,
            customer_org_id=firm.id,
            month=day.strftime("%Y-%m"),
            number=number,
            amount=Decimal(amount),
            issued_on=day,
            paid_on=day if paid else None,
            created_by_id=manager.id,
        ),
    )
    db.session.add(charge)
    return charge


def _row(page: str, charge_id: int) -> str:
    """The charge's row of the claim form."""
    start = page.index(f'data-charge="{charge_id}"')
    return page[start : page.index("</tr>", start)]


class Ledger:
    """A firm with charges of every kind: two paid and open (March), one paid and claimed
    already (March), one unpaid (April), one at a related lab (April)."""

    def __init__(self, make):
        self.lab = make.org("institute", slug="lab", name="试点实验室")
        self.sister = make.org("institute", slug="sister", name="关联研究所")
        self.firm = make.org("enterprise", slug="firm", name="青岛海纳海洋装备有限公司")
        self.firm.registered_city, self.firm.sme = "青岛", True
        self.firm.related = [self.sister]
        self.manager = make.user("manager", self.lab)
        self.firm_user, self.admin = make.user("enterprise", self.firm), make.admin()
        _programme()
        march, april = date(2026, 3, 9), date(2026, 4, 9)
        made = [
            _charge(self.firm, self.lab, march, "1800.00", True, self.manager, "A-1"),
            _charge(self.firm, self.lab, march, "2600.05", True, self.manager, "A-2"),
            _charge(self.firm, self.lab, march, "1000.00", True, self.manager, "A-3"),
            _charge(self.firm, self.lab, april, "900.00", False, self.manager, "B-1"),
            _charge(self.firm, self.sister, april, "700.00", True, self.manager, "C-1"),
        ]
        db.session.commit()
        self.open_a, self.open_b, self.claimed, self.unpaid, self.related = (c.id for c in made)


def test_the_claim_form_offers_only_what_can_be_claimed_and_greys_the_rest(client, login, make):
    books = Ledger(make)
    login(books.firm_user)
    client.post("/vouchers/claims", data={"year": "2026", "charge_ids": [str(books.claimed)]})
    page = client.get("/vouchers").get_data(as_text=True)
    for charge_id in (books.open_a, books.open_b):
        row = _row(page, charge_id)
        assert 'name="charge_ids"' in row and "disabled" not in row
    assert 'data-amount-fen="260005"' in _row(page, books.open_b)
    assert 'data-share-fen="26001"' in _row(page, books.open_b)  # 10 %, rounded half up
    for charge_id, reason, words in (
        (books.claimed, "already_claimed", "已申领过"),
        (books.unpaid, "not_paid", "尚未付款"),
        (books.related, "related_party", "服务单位为关联方"),
    ):
        row = _row(page, charge_id)
        assert f'data-reason="{reason}"' in row and "disabled" in row
        assert 'name="charge_ids"' not in row and words in row
    # March has two open charges (a box ticks both); April has none, so no box.
    assert 'data-month-all="2026-03"' in page and 'data-month-all="2026-04"' not in page
    assert "可申领 2 笔，共 3 笔" in page
    # The cap left: ¥500,000 less the ¥100 granted on the claimed charge.
    assert 'data-cap-left-fen="49990000"' in page and "¥499,900.00" in page
    assert "js/voucher-claim.js" in page and "<script>" not in page

    client.get("/lang/en")
    english = client.get("/vouchers").get_data(as_text=True)
    assert "Claimed already" in english and "Not paid yet" in english
    assert "Subsidy at 10%" in english and "Cap left" in english


def test_a_crafted_claim_on_nothing_eligible_files_nothing(client, login, make):
    books = Ledger(make)
    login(books.firm_user)
    answer = client.post(
        "/vouchers/claims",
        data={"year": "2026", "charge_ids": [str(books.unpaid), str(books.related)]},
        follow_redirects=True,
    )
    assert db.session.query(VoucherClaim).count() == 0
    assert "所选费用均不符合申领条件" in answer.get_data(as_text=True)


def test_the_claims_are_one_line_each_with_totals_and_their_lines_folded(client, login, make):
    books = Ledger(make)
    login(books.firm_user)
    client.post(
        "/vouchers/claims",
        data={"year": "2026", "charge_ids": [str(books.open_a), str(books.open_b)]},
    )
    claim = db.session.query(VoucherClaim).one()
    client.post("/logout")
    login(books.admin)
    page = client.get("/vouchers").get_data(as_text=True)
    start = page.index(f'<details class="card mb-1 voucher-claim" data-claim="{claim.id}"')
    summary = page[start : page.index("</summary>", start)]
    assert "2 笔中 2 笔" in summary
    assert 'data-total="amount">¥4,400.05' in summary
    assert "¥440.01" in summary  # the firm's 10 %: ¥180.00 + ¥260.01
    # The lines are inside the fold, after the summary, with the review buttons.
    body = page[page.index("</summary>", start) : page.index("</details>", start)]
    assert "盐雾试验 A-1" in body and "盐雾试验 A-2" in body and "/approve" in body
