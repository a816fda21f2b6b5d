"""Receivables and invoices (api.md "Money as the region pays it"): what each customer owes a
provider for a month equals the provider's lines of the customers' statements; an ended month is
invoiced once under a number used once; a payment is recorded once; unpaid past the terms is
overdue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sharing.billing.models import Charge, ChargeKind
from sharing.billing.services.receivables import PAYMENT_TERMS_DAYS, is_overdue
from sharing.extensions import db
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import usage_charge
from tests.fixtures.bookings import SHANGHAI

TODAY = utcnow().astimezone(SHANGHAI).date()
LAST_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
THIS_MONTH = TODAY.strftime("%Y-%m")


@pytest.fixture
def books(make, token_for):
    """A lab that served an institute and a company last month, and another lab."""
    lab, other_lab = make.org("institute", slug="lab"), make.org("institute", slug="other-lab")
    institute, company = make.org("institute", slug="inst"), make.org("enterprise", slug="co")
    people = {
        "manager": make.user("manager", lab),
        "other_manager": make.user("manager", other_lab),
        "researcher": make.user("researcher", institute),
        "company": make.user("enterprise", company),
        "admin": make.admin(),
    }
    for customer, owner, amount in (
        (institute, lab, "1200.50"),
        (institute, lab, "300.00"),
        (company, lab, "4500.00"),
        (company, other_lab, "800.00"),
        (institute, lab, "99.99"),
    ):
        usage_charge(customer, owner, amount, LAST_MONTH, day=15)
    db.session.add(  # an adjustment belongs to no provider
        Charge(
            kind=ChargeKind.ADJUSTMENT,
            customer_org_id=company.id,
            amount=Decimal("-50.00"),
            service_date=date.fromisoformat(LAST_MONTH + "-15"),
            month=LAST_MONTH,
        )
    )
    db.session.commit()
    return {name: token_for(user) for name, user in people.items()}


def test_receivables_per_customer_equal_the_statements_lines_of_the_provider(client, books):
    body = client.get(f"/api/v1/receivables?month={LAST_MONTH}", headers=books["manager"]).json
    owed = {item["customer"]: item["amount"] for item in body["items"]}
    assert owed == {"inst": "1600.49", "co": "4500.00"}
    assert body["total"] == "6100.49" and body["organisation"] == "lab"
    assert {item["status"] for item in body["items"]} == {"not_invoiced"}
    statement = client.get(f"/api/v1/statements/co/{LAST_MONTH}", headers=books["admin"]).json
    by_owner = {s["owner"]: s["amount"] for s in statement["subtotals"]}
    assert by_owner["lab"] == owed["co"] and by_owner["other-lab"] == "800.00"
    other = client.get(f"/api/v1/receivables?month={LAST_MONTH}", headers=books["other_manager"])
    assert [item["amount"] for item in other.json["items"]] == ["800.00"]


@pytest.mark.parametrize("who", ["researcher", "company"])
def test_only_managers_and_admins_keep_receivables(client, books, who):
    response = client.get(f"/api/v1/receivables?month={LAST_MONTH}", headers=books[who])
    assert response.status_code == 403
    body = {"customer": "inst", "month": LAST_MONTH, "number": "X-1"}
    assert client.post("/api/v1/invoices", json=body, headers=books[who]).status_code == 403


def test_month_is_checked_and_admins_name_the_provider(client, books):
    for month in ("2026-13", "2026-1", "２０２６-01", ""):
        response = client.get(f"/api/v1/receivables?month={month}", headers=books["manager"])
        assert response.status_code == 400, month
    assert (
        client.get(f"/api/v1/receivables?month={LAST_MONTH}", headers=books["admin"]).status_code
        == 400
    )
    named = client.get(
        f"/api/v1/receivables?month={LAST_MONTH}&organisation=lab", headers=books["admin"]
    )
    assert named.status_code == 200 and len(named.json["items"]) == 2


def test_an_ended_month_is_invoiced_once_and_paid_once(client, books):
    body = {"customer": "co", "month": LAST_MONTH, "number": "QNLM-2026-0117"}
    issued = client.post("/api/v1/invoices", json=body, headers=books["manager"])
    assert issued.status_code == 201, issued.json
    invoice = issued.json
    assert invoice["amount"] == "4500.00" and invoice["status"] == "invoiced"
    again = client.post(
        "/api/v1/invoices", json={**body, "number": "QNLM-2"}, headers=books["manager"]
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    number_taken = client.post(
        "/api/v1/invoices", json={**body, "customer": "inst"}, headers=books["manager"]
    )
    assert number_taken.status_code == 409
    listed = client.get(f"/api/v1/receivables?month={LAST_MONTH}", headers=books["manager"]).json
    row = next(item for item in listed["items"] if item["customer"] == "co")
    assert row["status"] == "invoiced" and row["invoices"][0]["number"] == "QNLM-2026-0117"
    assert (row["amount"], row["invoiced"], row["paid"], row["outstanding"]) == (
        "4500.00",
        "4500.00",
        "0.00",
        "4500.00",
    )
    paid_path = f"/api/v1/invoices/{invoice['id']}/paid"
    today = local_today().isoformat()
    assert (
        client.post(paid_path, json={"paid_on": today}, headers=books["other_manager"]).status_code
        == 404
    )
    assert (
        client.post(paid_path, json={"paid_on": today}, headers=books["company"]).status_code == 403
    )
    paid = client.post(paid_path, json={"paid_on": today}, headers=books["manager"])
    assert paid.status_code == 200 and paid.json["paid_on"] == today
    twice = client.post(paid_path, json={"paid_on": today}, headers=books["manager"])
    assert twice.status_code == 409 and twice.json["error"]["code"] == "invalid_state"
    listed = client.get(f"/api/v1/receivables?month={LAST_MONTH}", headers=books["manager"]).json
    assert next(i for i in listed["items"] if i["customer"] == "co")["status"] == "paid"


def test_a_month_not_ended_or_with_nothing_owed_is_not_invoiced(client, books):
    running = {"customer": "co", "month": THIS_MONTH, "number": "N-1"}
    response = client.post("/api/v1/invoices", json=running, headers=books["manager"])
    assert response.status_code == 409 and response.json["error"]["code"] == "invalid_state"
    nothing = {"customer": "inst", "month": LAST_MONTH, "number": "N-2"}
    response = client.post("/api/v1/invoices", json=nothing, headers=books["other_manager"])
    assert response.status_code == 409
    future = {"customer": "co", "month": LAST_MONTH, "number": "N-3", "issued_on": "2999-01-01"}
    assert client.post("/api/v1/invoices", json=future, headers=books["manager"]).status_code == 400


def test_payment_dates_are_checked(client, books):
    body = {"customer": "co", "month": LAST_MONTH, "number": "D-1"}
    invoice = client.post("/api/v1/invoices", json=body, headers=books["manager"]).json
    path = f"/api/v1/invoices/{invoice['id']}/paid"
    for day in ("2000-01-01", "2999-01-01", "yesterday"):
        assert client.post(path, json={"paid_on": day}, headers=books["manager"]).status_code == 400


def test_overdue_after_the_payment_terms():
    class Unpaid:
        issued_on, paid_on = date(2026, 10, 1), None

    assert not is_overdue(Unpaid, date(2026, 10, 1) + timedelta(days=PAYMENT_TERMS_DAYS))
    assert is_overdue(Unpaid, date(2026, 10, 2) + timedelta(days=PAYMENT_TERMS_DAYS))
    Unpaid.paid_on = date(2026, 12, 1)
    assert not is_overdue(Unpaid, date(2027, 1, 1))
