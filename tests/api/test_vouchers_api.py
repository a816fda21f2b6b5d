"""Innovation vouchers (api.md "Money as the region pays it"): the programme, each reason a line
is refused, the split, each cap crossing inside one claim and across claims, one claim per
charge, the review (approve, reject, pay: once each), the evidence package, two claims at once
against one cap, and a closed month that none of it touches."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sharing.billing.models import Charge, ClosedMonth, Invoice
from sharing.extensions import db
from sharing.vouchers.models import VoucherClaim
from tests.fixtures.billing import usage_charge
from tests.fixtures.concurrency import Call, burst

YEAR = 2026
PROGRAMME = {
    "name": "2026 年青岛市科技创新券",
    "year": YEAR,
    "enterprise_rate": "0.10",
    "enterprise_rate_high_tech": "0.20",
    "provider_rate": "0.10",
    "enterprise_cap": "500000.00",
    "provider_cap": "2000000.00",
    "city": "青岛",
}


class Books:
    """Firms, providers and their charges; paid means the provider's invoice of that month is."""

    def __init__(self, make, token_for):
        self.make, self.token_for = make, token_for
        self.lab = make.org("institute", slug="lab")
        self.parent = make.org("institute", slug="parent-institute")
        self.firm = make.org("enterprise", slug="firm")
        self.firm.registered_city, self.firm.sme = "青岛", True
        self.firm.related = [self.parent]
        db.session.commit()
        self.admin = token_for(make.admin())
        self.lab_manager = token_for(make.user("manager", self.lab))
        self.firm_user = token_for(make.user("enterprise", self.firm))
        self.months = iter(range(1, 13))

    def charges(self, *amounts, firm=None, provider=None, paid=True) -> list[int]:
        """Charges of one month of the year (a fresh month each call), invoiced and paid."""
        firm, provider = firm or self.firm, provider or self.lab
        month = f"{YEAR}-{next(self.months):02d}"
        made, covered = [], []
        for amount in amounts:
            charge = usage_charge(
                firm, provider, amount, month, day=10, description="场发射扫描电镜 2 小时"
            )
            db.session.flush()
            made.append(charge.id)
            covered.append(charge)
        invoice = Invoice(
            provider_org_id=provider.id,
            customer_org_id=firm.id,
            month=month,
            number=f"INV-{month}-{firm.slug}",
            amount=sum(Decimal(a) for a in amounts),
            issued_on=date.fromisoformat(month + "-20"),
            paid_on=date.fromisoformat(month + "-28") if paid else None,
            created_by_id=1,
        )
        for charge in covered:
            charge.invoice = invoice
        db.session.commit()
        return made


@pytest.fixture
def books(make, token_for):
    return Books(make, token_for)


def _programme(client, books, **changes) -> int:
    response = client.post(
        "/api/v1/voucher-programmes", json={**PROGRAMME, **changes}, headers=books.admin
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def _claim(client, books, programme, charge_ids, headers=None):
    return client.post(
        "/api/v1/voucher-claims",
        json={"programme_id": programme, "charge_ids": charge_ids},
        headers=headers or books.firm_user,
    )


def test_a_programme_a_year_set_up_by_admins(client, books):
    _programme(client, books)
    again = client.post("/api/v1/voucher-programmes", json=PROGRAMME, headers=books.admin)
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    refused = client.post(
        "/api/v1/voucher-programmes", json={**PROGRAMME, "year": 2027}, headers=books.lab_manager
    )
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/voucher-programmes",
        json={**PROGRAMME, "year": 2028, "provider_rate": "1.5"},
        headers=books.admin,
    )
    assert bad.status_code == 400
    listed = client.get("/api/v1/voucher-programmes", headers=books.firm_user).json["items"]
    assert [(p["year"], p["enterprise_rate"], p["enterprise_cap"]) for p in listed] == [
        (2026, "0.10", "500000.00")
    ]


def test_the_split_and_the_claims_totals(client, books):
    programme = _programme(client, books)
    first, second = books.charges("1234.56", "800.00")
    claim = _claim(client, books, programme, [first, second])
    assert claim.status_code == 201, claim.json
    body = claim.json
    assert body["status"] == "submitted"
    assert [(line["charge_id"], line["eligible"], line["reason"]) for line in body["lines"]] == [
        (first, True, None),
        (second, True, None),
    ]
    assert [line["enterprise_subsidy"] for line in body["lines"]] == ["123.46", "80.00"]
    assert body["enterprise_subsidy"] == "203.46" and body["provider_subsidy"] == "203.46"


def test_high_tech_firms_get_twenty_percent_back(client, books):
    programme = _programme(client, books)
    books.firm.high_tech = True
    db.session.commit()
    [charge] = books.charges("1000.00")
    line = _claim(client, books, programme, [charge]).json["lines"][0]
    assert (line["enterprise_subsidy"], line["provider_subsidy"]) == ("200.00", "100.00")


def test_each_reason_a_line_is_refused(client, books, make):
    programme = _programme(client, books)
    unpaid = books.charges("500.00", paid=False)[0]
    related = books.charges("500.00", provider=books.parent)[0]
    claimed = books.charges("500.00")[0]
    _claim(client, books, programme, [claimed])
    # Another eligible charge beside them, so the claim is filed and shows each reason.
    [fine] = books.charges("500.00")
    lines = _claim(client, books, programme, [unpaid, related, claimed, fine]).json["lines"]
    reasons = [line["reason"] for line in lines]
    assert reasons == ["not_paid", "related_party", "already_claimed", None]
    assert [line["eligible"] for line in lines] == [False, False, False, True]
    assert [line["enterprise_subsidy"] for line in lines] == ["0.00", "0.00", "0.00", "50.00"]
    books.firm.sme = False
    db.session.commit()
    [fresh] = books.charges("500.00")
    assert _refused_reasons(client, books, programme, [fresh]) == ["not_sme"]
    books.firm.sme, books.firm.registered_city = True, "济南"
    db.session.commit()
    assert _refused_reasons(client, books, programme, [fresh]) == ["not_local"]


def _refused_reasons(client, books, programme, charge_ids) -> list[str]:
    """A claim with no eligible line is not filed: 422 nothing_eligible, each line's reason."""
    before = db.session.scalar(select(func.count(VoucherClaim.id)))
    response = client.post(
        "/api/v1/voucher-claims",
        json={"programme_id": programme, "charge_ids": charge_ids},
        headers=books.firm_user,
    )
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["code"] == "rule_violation"
    assert [v["code"] for v in error["violations"]] == ["nothing_eligible"]
    db.session.rollback()
    assert db.session.scalar(select(func.count(VoucherClaim.id))) == before
    return [line["reason"] for line in error["lines"]]


def test_a_claim_with_nothing_eligible_is_not_filed(client, books):
    """Found in the walk: an unpaid charge filed a ¥0 claim ("0 of 1 lines eligible") that the
    admin could then approve."""
    programme = _programme(client, books)
    unpaid = books.charges("800.00", paid=False)
    assert _refused_reasons(client, books, programme, unpaid) == ["not_paid"]


def test_the_firms_cap_crossed_inside_one_claim_and_across_claims(client, books):
    programme = _programme(client, books, enterprise_cap="150.00")
    a, b, c = books.charges("1000.00", "1000.00", "1000.00")
    lines = _claim(client, books, programme, [a, b]).json["lines"]
    assert [(line["eligible"], line["reason"], line["enterprise_subsidy"]) for line in lines] == [
        (True, None, "100.00"),
        (True, "over_cap", "50.00"),
    ]
    assert _refused_reasons(client, books, programme, [c]) == ["over_cap"]


def test_the_providers_cap_holds_across_firms(client, books, make, token_for):
    programme = _programme(client, books, provider_cap="120.00")
    other = make.org("enterprise", slug="other-firm")
    other.registered_city, other.sme = "青岛", True
    db.session.commit()
    other_user = token_for(make.user("enterprise", other))
    [mine] = books.charges("1000.00")
    [theirs] = books.charges("1000.00", firm=other)
    assert _claim(client, books, programme, [mine]).json["provider_subsidy"] == "100.00"
    second = _claim(client, books, programme, [theirs], headers=other_user).json
    assert second["provider_subsidy"] == "20.00" and second["enterprise_subsidy"] == "100.00"
    assert second["lines"][0]["reason"] == "over_cap"


def test_only_the_firms_own_charges_of_the_year(client, books, make):
    programme = _programme(client, books)
    foreign = books.charges("100.00", firm=make.org("enterprise"))[0]
    assert _claim(client, books, programme, [foreign]).status_code == 400
    assert _claim(client, books, programme, []).status_code == 400
    [mine] = books.charges("100.00")
    assert _claim(client, books, programme, [mine], headers=books.lab_manager).status_code == 403
    unknown = client.post(
        "/api/v1/voucher-claims",
        json={"programme_id": 999, "charge_ids": [mine]},
        headers=books.firm_user,
    )
    assert unknown.status_code == 404


def test_review_approve_pay_and_reject_frees_the_charges(client, books):
    programme = _programme(client, books)
    [charge] = books.charges("1000.00")
    claim = _claim(client, books, programme, [charge]).json
    path = f"/api/v1/voucher-claims/{claim['id']}"
    assert client.post(f"{path}/approve", json={}, headers=books.firm_user).status_code == 403
    assert client.post(f"{path}/pay", headers=books.admin).status_code == 409
    assert client.post(f"{path}/approve", json={}, headers=books.admin).json["status"] == "approved"
    twice = client.post(f"{path}/approve", json={}, headers=books.admin)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "invalid_state"
    paid = client.post(f"{path}/pay", headers=books.admin).json
    assert paid["status"] == "paid" and paid["paid_at"]
    assert client.post(f"{path}/reject", json={}, headers=books.admin).status_code == 409
    [again] = books.charges("500.00")
    second = _claim(client, books, programme, [again]).json
    client.post(
        f"/api/v1/voucher-claims/{second['id']}/reject",
        json={"reason": "材料不全"},
        headers=books.admin,
    )
    third = _claim(client, books, programme, [again]).json
    assert third["lines"][0]["eligible"] is True  # a rejected claim holds nothing


def test_who_reads_a_claim(client, books, make, token_for):
    programme = _programme(client, books)
    [charge] = books.charges("1000.00")
    claim = _claim(client, books, programme, [charge]).json
    path = f"/api/v1/voucher-claims/{claim['id']}"
    assert client.get(path, headers=books.lab_manager).json["provider_subsidy"] == "100.00"
    stranger = token_for(make.user("enterprise", make.org("enterprise")))
    assert client.get(path, headers=stranger).status_code == 404
    listed = client.get("/api/v1/voucher-claims", headers=books.lab_manager).json["items"]
    assert [item["id"] for item in listed] == [claim["id"]]
    assert client.get("/api/v1/voucher-claims", headers=stranger).json["items"] == []


def test_the_evidence_package(client, books):
    programme = _programme(client, books)
    paid = books.charges("1000.00")[0]
    unpaid = books.charges("300.00", paid=False)[0]
    claim = _claim(client, books, programme, [paid, unpaid]).json
    response = client.get(f"/api/v1/voucher-claims/{claim['id']}/evidence.zip", headers=books.admin)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["claim.csv", f"line-{paid}.json"]
    record = json.loads(archive.read(f"line-{paid}.json"))
    assert record["invoice_number"].startswith("INV-") and record["paid_on"]
    summary = archive.read("claim.csv").decode("utf-8-sig").splitlines()
    assert summary[2].endswith(",no,not_paid,0.00,0.00")


def test_a_closed_month_is_untouched(client, books):
    programme = _programme(client, books)
    [charge] = books.charges("1000.00")
    month = db.session.get(Charge, charge).month
    db.session.add(ClosedMonth(month=month))
    db.session.commit()
    before = [(c.id, c.amount) for c in db.session.query(Charge).order_by(Charge.id)]
    claim = _claim(client, books, programme, [charge]).json
    client.post(f"/api/v1/voucher-claims/{claim['id']}/approve", json={}, headers=books.admin)
    client.post(f"/api/v1/voucher-claims/{claim['id']}/pay", headers=books.admin)
    db.session.expire_all()
    assert [(c.id, c.amount) for c in db.session.query(Charge).order_by(Charge.id)] == before


def test_two_claims_at_once_cannot_pass_one_cap(server, client, books):
    url, _inbox = server
    programme = _programme(client, books, enterprise_cap="150.00")
    first = books.charges("1000.00")
    second = books.charges("1000.00")
    calls = [
        Call(
            "POST",
            "/api/v1/voucher-claims",
            {"programme_id": programme, "charge_ids": ids},
            books.firm_user,
        )
        for ids in (first, second)
    ]
    answers = burst(url, calls)
    assert [a.status_code for a in answers] == [201, 201]
    granted = sum(Decimal(a.json["enterprise_subsidy"]) for a in answers)
    assert granted == Decimal("150.00")
    same = burst(url, [calls[0], calls[0]])
    # The first burst holds the charge already: nothing of it is eligible again, so no claim
    # is filed (422 nothing_eligible) or the unique index on held charges refuses it (409).
    assert all(a.status_code in (409, 422) for a in same), [a.status_code for a in same]
