"""The five findings of the hostile tester of the second round (issue 30), each as it was found
over the API, on both backends: the wrong readers of claims and talks, a month that grew after
its paid invoice, milestones past the award, and loose dates and numbers."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sharing.billing.models import Charge
from sharing.challenges.models import Milestone
from sharing.challenges.services import apply_to_challenge, award_challenge, post_challenge
from sharing.extensions import db
from sharing.needs.models import Transfer
from tests.fixtures.billing import usage_charge
from tests.fixtures.bookings import SHANGHAI

TODAY = datetime.now(UTC).astimezone(SHANGHAI).date()
LAST_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
YEAR = int(LAST_MONTH[:4])


def _charge(customer, owner, amount: str, month: str = LAST_MONTH, **fields) -> Charge:
    fields.setdefault("description", "场发射扫描电镜 2 小时")
    charge = usage_charge(customer, owner, amount, month, day=10, **fields)
    db.session.commit()
    return charge


@pytest.fixture
def district(make, token_for):
    """A firm that used lab A and lab D last month, a third university, the operator."""
    firm = make.org("enterprise", slug="firm")
    firm.registered_city, firm.sme = "青岛", True
    lab_a, lab_d = make.org("institute", slug="lab-a"), make.org("institute", slug="lab-d")
    third = make.org("university", slug="third")
    operator = make.org("operator", slug="operator")
    people = {
        "firm": make.user("enterprise", firm),
        "manager_a": make.user("manager", lab_a),
        "manager_d": make.user("manager", lab_d),
        "researcher_d": make.user("researcher", lab_d),
        "third": make.user("researcher", third),
        "staff": make.user("researcher", operator),
        "admin": make.admin(),
    }
    db.session.commit()
    tokens = {name: token_for(user) for name, user in people.items()}
    return {"orgs": {"firm": firm, "a": lab_a, "d": lab_d}, "tokens": tokens}


def _invoice(client, district, lab: str, number: str, paid: bool = True) -> dict:
    tokens = district["tokens"]
    issued = client.post(
        "/api/v1/invoices",
        json={"customer": "firm", "month": LAST_MONTH, "number": number},
        headers=tokens[f"manager_{lab}"],
    )
    assert issued.status_code == 201, issued.json
    if paid:
        path = f"/api/v1/invoices/{issued.json['id']}/paid"
        answer = client.post(
            path, json={"paid_on": TODAY.isoformat()}, headers=tokens[f"manager_{lab}"]
        )
        assert answer.status_code == 200, answer.json
    return issued.json


def _programme(client, district) -> int:
    body = {
        "name": "创新券",
        "year": YEAR,
        "city": "青岛",
        "enterprise_rate": "0.10",
        "enterprise_rate_high_tech": "0.20",
        "provider_rate": "0.10",
        "enterprise_cap": "500000.00",
        "provider_cap": "2000000.00",
    }
    made = client.post("/api/v1/voucher-programmes", json=body, headers=district["tokens"]["admin"])
    assert made.status_code == 201, made.json
    return made.json["id"]


def test_1_a_provider_reads_its_own_lines_of_a_claim_and_no_others(client, district):
    orgs, tokens = district["orgs"], district["tokens"]
    at_a = _charge(orgs["firm"], orgs["a"], "1000.00", description="实验室 A 的电镜")
    at_d = _charge(orgs["firm"], orgs["d"], "3000.00", description="实验室 D 的质谱")
    _invoice(client, district, "a", "A-INV-0917")
    _invoice(client, district, "d", "D-INV-0042")
    programme = _programme(client, district)
    claim = client.post(
        "/api/v1/voucher-claims",
        json={"programme_id": programme, "charge_ids": [at_a.id, at_d.id]},
        headers=tokens["firm"],
    )
    assert claim.status_code == 201, claim.json
    path = f"/api/v1/voucher-claims/{claim.json['id']}"

    whole = client.get(path, headers=tokens["firm"]).json
    assert [line["charge_id"] for line in whole["lines"]] == [at_a.id, at_d.id]
    assert whole["enterprise_subsidy"] == "400.00"
    assert client.get(path, headers=tokens["admin"]).json["lines"] == whole["lines"]

    seen_by_d = client.get(path, headers=tokens["manager_d"]).json
    assert [line["charge_id"] for line in seen_by_d["lines"]] == [at_d.id]
    assert (seen_by_d["enterprise_subsidy"], seen_by_d["provider_subsidy"]) == ("300.00", "300.00")
    listed = client.get("/api/v1/voucher-claims", headers=tokens["manager_d"]).json["items"]
    assert [line["charge_id"] for line in listed[0]["lines"]] == [at_d.id]

    package = client.get(f"{path}/evidence.zip", headers=tokens["manager_d"])
    archive = zipfile.ZipFile(io.BytesIO(package.data))
    assert sorted(archive.namelist()) == ["claim.csv", f"line-{at_d.id}.json"]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    assert "A-INV-0917" not in everything and "实验室 A" not in everything
    assert json.loads(archive.read(f"line-{at_d.id}.json"))["invoice_number"] == "D-INV-0042"
    assert client.get(path, headers=tokens["third"]).status_code == 404


def test_2_another_institute_never_reads_the_talks_of_a_claimed_need(client, district):
    tokens = district["tokens"]
    need = client.post(
        "/api/v1/needs",
        json={"title": "防污涂料配方优化", "field": "new-materials", "company": "firm"},
        headers=tokens["firm"],
    ).json
    path = f"/api/v1/needs/{need['id']}"
    assert client.get(path, headers=tokens["third"]).status_code == 200  # waiting to be claimed
    assert client.post(f"{path}/claim", headers=tokens["researcher_d"]).status_code == 200
    secret = "报价 38 万，保密：配方 A-17"
    meeting = {"date": TODAY.isoformat(), "notes": secret}
    assert (
        client.post(f"{path}/meetings", json=meeting, headers=tokens["manager_d"]).status_code
        == 201
    )

    assert client.get(path, headers=tokens["third"]).status_code == 404
    assert need["id"] not in [
        n["id"] for n in client.get("/api/v1/needs", headers=tokens["third"]).json["items"]
    ]
    for party in ("firm", "researcher_d", "staff", "admin"):
        body = client.get(path, headers=tokens[party]).json
        assert body["meetings"][0]["notes"] == secret, party
        actions = [(item["action"], item["notes"]) for item in body["history"]]
        assert ("meeting", secret) in actions, party
        assert {"at", "actor", "action", "from_status", "to_status", "notes"} <= set(
            body["history"][0]
        )


def test_2_the_pages_keep_the_talks_to_the_parties(client, district, login, make):
    tokens = district["tokens"]
    need = client.post(
        "/api/v1/needs",
        json={"title": "防污涂料配方优化", "field": "new-materials", "company": "firm"},
        headers=tokens["firm"],
    ).json
    path = f"/api/v1/needs/{need['id']}"
    client.post(f"{path}/claim", headers=tokens["researcher_d"])
    client.post(
        f"{path}/meetings",
        json={"date": TODAY.isoformat(), "notes": "保密：配方 A-17"},
        headers=tokens["manager_d"],
    )
    login(make.user("researcher", make.org("university")))
    page = client.get(f"/needs/{need['id']}")
    assert page.status_code == 404 and "A-17" not in page.get_data(as_text=True)
    assert "防污涂料配方优化" not in client.get("/needs").get_data(as_text=True)


def test_3_a_month_that_grew_after_its_paid_invoice_is_partly_paid(client, district):
    orgs, tokens = district["orgs"], district["tokens"]
    first = _charge(orgs["firm"], orgs["a"], "800.00")
    invoice = _invoice(client, district, "a", "A-1")
    assert invoice["charge_ids"] == [first.id] and invoice["amount"] == "800.00"
    later = _charge(orgs["firm"], orgs["a"], "800.00")  # the month is not closed

    def receivable():
        body = client.get(
            f"/api/v1/receivables?month={LAST_MONTH}", headers=tokens["manager_a"]
        ).json
        [row] = body["items"]
        return row

    row = receivable()
    assert (row["amount"], row["invoiced"], row["paid"], row["outstanding"]) == (
        "1600.00",
        "800.00",
        "800.00",
        "800.00",
    )
    assert row["status"] == "partly_paid"
    assert [i["number"] for i in row["invoices"]] == ["A-1"]

    programme = _programme(client, district)
    claim = client.post(
        "/api/v1/voucher-claims",
        json={"programme_id": programme, "charge_ids": [first.id, later.id]},
        headers=tokens["firm"],
    ).json
    assert [(line["eligible"], line["reason"]) for line in claim["lines"]] == [
        (True, None),
        (False, "not_paid"),
    ]
    client.post(f"/api/v1/voucher-claims/{claim['id']}/reject", json={}, headers=tokens["admin"])

    second = _invoice(client, district, "a", "A-2", paid=False)
    assert second["charge_ids"] == [later.id] and second["amount"] == "800.00"
    assert receivable()["status"] == "partly_paid"
    none_left = client.post(
        "/api/v1/invoices",
        json={"customer": "firm", "month": LAST_MONTH, "number": "A-3"},
        headers=tokens["manager_a"],
    )
    assert none_left.status_code == 409 and none_left.json["error"]["code"] == "duplicate"
    client.post(
        f"/api/v1/invoices/{second['id']}/paid",
        json={"paid_on": TODAY.isoformat()},
        headers=tokens["manager_a"],
    )
    row = receivable()
    assert (row["status"], row["paid"], row["outstanding"]) == ("paid", "1600.00", "0.00")


def _awarded(make, quote: str, budget: str = "100000.00"):
    company = make.user("enterprise", make.org("enterprise"))
    team = make.user("researcher", make.org("institute"))
    challenge = post_challenge(
        company,
        {
            "title": "浮标能源管理",
            "field": "marine-equipment",
            "budget": Decimal(budget),
            "deadline": datetime.now(UTC) + timedelta(days=9),
            "status": "open",
        },
    )
    application = apply_to_challenge(team, challenge, {"proposal": "方案", "quote": Decimal(quote)})
    award_challenge(company, challenge, application.id)
    db.session.commit()
    return challenge, company, team


def test_4_milestones_add_up_to_at_most_the_award_which_becomes_the_contract(
    client, make, token_for
):
    challenge, company, team = _awarded(make, quote="90000.00")
    owner, selected = token_for(company), token_for(team)
    path = f"/api/v1/challenges/{challenge.id}/milestones"
    ids = []
    for amount in ("30000.00", "30000.00", "30000.00"):
        made = client.post(
            path, json={"title": "阶段", "due": "2027-06-01", "amount": amount}, headers=owner
        )
        assert made.status_code == 201, made.json
        ids.append(made.json["id"])
    over = client.post(
        path, json={"title": "追加", "due": "2027-06-01", "amount": "500000.00"}, headers=owner
    )
    assert over.status_code == 422
    assert [v["code"] for v in over.json["error"]["violations"]] == ["over_award"]
    for zero in ("0.00", "-1.00", "1e3", 500, "500"):
        refused = client.post(
            path, json={"title": "零", "due": "2027-06-01", "amount": zero}, headers=owner
        )
        assert refused.status_code == 400 and "amount" in refused.json["error"]["fields"], zero
    assert db.session.scalar(select(func.count(Milestone.id))) == 3
    for milestone_id in ids:
        client.post(
            f"/api/v1/milestones/{milestone_id}/deliver", json={"note": "交付"}, headers=selected
        )
        accepted = client.post(f"/api/v1/milestones/{milestone_id}/accept", json={}, headers=owner)
        assert accepted.status_code == 200, accepted.json
    done = client.get(f"/api/v1/challenges/{challenge.id}", headers=owner).json
    assert done["status"] == "completed"
    stats = client.get("/api/v1/challenges/stats", headers=owner).json
    assert stats["contract_total"] == "90000.00"


def test_4_a_contract_of_nothing_is_refused(client, make, token_for):
    challenge, company, _team = _awarded(make, quote="90000.00")
    path = f"/api/v1/challenges/{challenge.id}/complete"
    for amount in ("0.00", "1e3", 1000.0, "１０００.００"):
        refused = client.post(path, json={"contract_amount": amount}, headers=token_for(company))
        assert refused.status_code == 400 and "contract_amount" in refused.json["error"]["fields"]
    done = client.post(path, json={"contract_amount": "88000.00"}, headers=token_for(company))
    assert done.status_code == 200 and done.json["status"] == "completed"


def test_5_invoices_and_payments_dated_within_sense(client, district):
    orgs, tokens = district["orgs"], district["tokens"]
    _charge(orgs["firm"], orgs["a"], "500.00")
    body = {"customer": "firm", "month": LAST_MONTH, "number": "A-7"}
    for issued_on in ("1970-01-01", LAST_MONTH + "-28", "2199-01-01"):
        refused = client.post(
            "/api/v1/invoices", json={**body, "issued_on": issued_on}, headers=tokens["manager_a"]
        )
        assert refused.status_code == 400 and "issued_on" in refused.json["error"]["fields"], (
            issued_on
        )
    this_month = TODAY.strftime("%Y-%m")
    running = client.post(
        "/api/v1/invoices",
        json={**body, "month": this_month, "issued_on": "1970-01-01"},
        headers=tokens["manager_a"],
    )
    assert running.status_code == 409 and running.json["error"]["code"] == "invalid_state"
    invoice = client.post("/api/v1/invoices", json=body, headers=tokens["manager_a"]).json
    first_day = date.fromisoformat(LAST_MONTH + "-01")
    for paid_on in ((first_day - timedelta(days=1)).isoformat(), "2199-12-31"):
        refused = client.post(
            f"/api/v1/invoices/{invoice['id']}/paid",
            json={"paid_on": paid_on},
            headers=tokens["manager_a"],
        )
        assert refused.status_code == 400 and "paid_on" in refused.json["error"]["fields"]


def test_5_transfers_only_between_the_parties_of_their_need(client, district):
    tokens = district["tokens"]
    need = client.post(
        "/api/v1/needs",
        json={"title": "海洋防腐", "field": "new-materials", "company": "firm"},
        headers=tokens["firm"],
    ).json
    client.post(f"/api/v1/needs/{need['id']}/claim", headers=tokens["researcher_d"])
    transfer = {
        "title": "防腐涂层技术服务",
        "kind": "technical_service",
        "amount": "120000.00",
        "signed_on": TODAY.isoformat(),
        "need_id": need["id"],
    }
    outside = client.post(
        "/api/v1/transfers",
        json={**transfer, "from_organisation": "lab-a", "to_organisation": "firm"},
        headers=tokens["admin"],
    )
    assert outside.status_code == 422
    assert outside.json["error"]["violations"][0]["code"] == "not_a_party"
    assert db.session.scalar(select(func.count(Transfer.id))) == 0
    between = client.post(
        "/api/v1/transfers",
        json={**transfer, "from_organisation": "lab-d", "to_organisation": "firm"},
        headers=tokens["admin"],
    )
    assert between.status_code == 201, between.json


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/reports/large-instruments", "year=２０２６", "year"),
        ("/api/v1/reports/large-instruments", "year=2026.0", "year"),
        ("/api/v1/reports/large-instruments", "year=1969", "year"),
        ("/api/v1/achievements", "year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96", "year"),
        ("/api/v1/bookings", "instrument_id=%EF%BC%91", "instrument_id"),
    ],
)
def test_5_numbers_in_query_strings_are_ascii_digits(client, district, path, query, field):
    answer = client.get(f"{path}?{query}", headers=district["tokens"]["admin"])
    assert answer.status_code == 400 and field in answer.json["error"]["fields"]


@pytest.mark.parametrize(
    "value", ["1e3", "0.123456", "０.１０", 0.1, 1, "1.5", "-0.10", "", "0.1\x00"]
)
def test_5_voucher_rates_are_never_rounded_nor_read_loosely(client, district, value):
    body = {
        "name": "创新券",
        "year": YEAR,
        "city": "青岛",
        "enterprise_rate": value,
        "enterprise_rate_high_tech": "0.20",
        "provider_rate": "0.10",
        "enterprise_cap": "500000.00",
        "provider_cap": "2000000.00",
    }
    answer = client.post(
        "/api/v1/voucher-programmes", json=body, headers=district["tokens"]["admin"]
    )
    # A control character is refused for the whole body by the request guard, before any field.
    refused_field = "body" if "\x00" in str(value) else "enterprise_rate"
    assert answer.status_code == 400 and refused_field in answer.json["error"]["fields"]


def test_5_a_rate_of_four_places_is_kept_as_written(client, district):
    body = {
        "name": "创新券",
        "year": YEAR,
        "city": "青岛",
        "enterprise_rate": "0.1234",
        "enterprise_rate_high_tech": "0.20",
        "provider_rate": "0.10",
        "enterprise_cap": "500000.00",
        "provider_cap": "2000000.00",
    }
    made = client.post("/api/v1/voucher-programmes", json=body, headers=district["tokens"]["admin"])
    assert made.status_code == 201 and made.json["enterprise_rate"] == "0.1234"
    assert made.json["provider_rate"] == "0.10"
