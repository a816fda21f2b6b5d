"""The receivables page: a manager sees what each customer owes for a month, invoices it with
a number, records the payment; overdue invoices stand out; others may not look."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from sharing.billing.models import Charge, Invoice
from sharing.extensions import db
from tests.fixtures.billing import LAST_MONTH, TODAY, owed


def _invoiced(lab, customer, manager, month, number, issued_on, paid_on=None):
    """An invoice covering the customer's charges of the month that none covers yet."""
    invoice = Invoice(
        provider_org_id=lab.id,
        customer_org_id=customer.id,
        month=month,
        number=number,
        amount=Decimal("2500.00"),
        issued_on=issued_on,
        paid_on=paid_on,
        created_by_id=manager.id,
    )
    for charge in db.session.scalars(
        select(Charge).where(
            Charge.owner_org_id == lab.id,
            Charge.customer_org_id == customer.id,
            Charge.month == month,
            Charge.invoice_id.is_(None),
        )
    ):
        charge.invoice = invoice
    db.session.commit()


def test_a_manager_invoices_a_customer_and_records_the_payment(client, login, make):
    lab = make.org("institute", slug="lab", name="试点实验室")
    customer = make.org("university", slug="sdu", name="山东大学（青岛校区）")
    manager = make.user("manager", lab)
    owed(lab, customer)
    login(manager)
    page = client.get("/receivables").get_data(as_text=True)
    assert (
        "山东大学（青岛校区）" in page
        and "¥2,500.00" in page
        and 'data-status="not_invoiced"' in page
    )
    client.post(
        "/receivables/invoice", data={"customer": "sdu", "month": LAST_MONTH, "number": "QN-1"}
    )
    invoice = db.session.query(Invoice).one()
    assert invoice.number == "QN-1" and invoice.amount == Decimal("2500.00")
    again = client.post(
        "/receivables/invoice",
        data={"customer": "sdu", "month": LAST_MONTH, "number": "QN-2"},
        follow_redirects=True,
    )
    assert f"{LAST_MONTH} 的费用已全部开票" in again.get_data(as_text=True)
    client.post(f"/invoices/{invoice.id}/paid", data={"paid_on": TODAY.isoformat()})
    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).paid_on == TODAY
    page = client.get(f"/receivables?month={LAST_MONTH}").get_data(as_text=True)
    assert 'data-status="paid"' in page


def test_an_invoice_unpaid_past_its_terms_is_highlighted(client, login, make):
    lab, customer = make.org("institute", slug="lab"), make.org("enterprise", slug="co")
    manager = make.user("manager", lab)
    month = (TODAY.replace(day=1) - timedelta(days=70)).strftime("%Y-%m")
    owed(lab, customer, month=month)
    _invoiced(lab, customer, manager, month, "OLD-1", issued_on=TODAY - timedelta(days=45))
    login(manager)
    page = client.get(f"/receivables?month={month}").get_data(as_text=True)
    assert 'class="table-danger"' in page and "逾期" in page


def test_researchers_have_no_receivables_page(client, login, make):
    login(make.user("researcher", make.org("institute")))
    assert client.get("/receivables").status_code == 403


def test_the_receivables_download_for_the_finance_office(client, login, make):
    lab = make.org("institute", slug="lab", name="试点实验室")
    customer = make.org("university", slug="sdu", name="山东大学（青岛校区）")
    other = make.org("enterprise", slug="co", name="=cmd|'/c calc'!A1")
    manager = make.user("manager", lab)
    owed(lab, customer)
    owed(lab, other, amount="120.50")
    _invoiced(lab, customer, manager, LAST_MONTH, "QN-7", issued_on=TODAY, paid_on=TODAY)
    login(manager)
    text = client.get(f"/receivables.csv?month={LAST_MONTH}").data.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["客户单位"][:4] == ["客户单位", "月份", "明细数", "金额"]
    paid = rows["山东大学（青岛校区）"]
    assert paid[3:9] == ["2500.00", "2500.00", "2500.00", "0.00", "已付款", "QN-7"]
    assert rows["'=cmd|'/c calc'!A1"][3] == "120.50"  # the formula stays text
    sheet = load_workbook(
        io.BytesIO(client.get(f"/receivables.xlsx?month={LAST_MONTH}").data)
    ).active
    values = {row[0]: row for row in sheet.values}
    assert (
        values["山东大学（青岛校区）"][3] == 2500 and values["山东大学（青岛校区）"][8] is not None
    )
    client.post("/logout")
    login(make.user("researcher", customer))
    assert client.get(f"/receivables.csv?month={LAST_MONTH}").status_code == 403


def test_an_admin_without_an_organisation_is_asked_whose_receivables(client, login, make):
    """The page, unlike the API's 400, offers the organisations to choose from."""
    lab = make.org("institute", slug="chooser-lab")
    login(make.admin())
    page = client.get("/receivables?month=2026-11")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="receivable-organisations"' in html
    assert f"/receivables?organisation={lab.slug}&amp;month=2026-11" in html
    chosen = client.get(f"/receivables?organisation={lab.slug}&month=2026-11")
    assert chosen.status_code == 200 and "receivable-organisations" not in chosen.get_data(
        as_text=True
    )
