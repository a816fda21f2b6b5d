"""Billing pages: recording use, statements and their visibility, closed months, reports."""

import io
from datetime import timedelta
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from sharing.billing.models import Charge
from sharing.bookings.models import Suspension
from sharing.extensions import db
from sharing.util.spreadsheet import XLSX_MIMETYPE as XLSX
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import walk_in
from tests.fixtures.bookings import SHANGHAI


def test_manager_records_use_and_statement_shows_it(client, lab, login):
    booking, start = walk_in(client, lab)
    login(lab["manager"])
    page = client.get(f"/bookings/{booking['id']}").get_data(as_text=True)
    assert "签到上机" in page and "标记爽约" in page
    response = client.post(
        f"/bookings/{booking['id']}/usage/record",
        data={
            "used_start": start.strftime("%Y-%m-%dT%H:%M"),
            "used_end": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert "¥900.00" in client.get(f"/bookings/{booking['id']}").get_data(as_text=True)
    client.post("/logout")
    login(lab["customer"])
    month = start.strftime("%Y-%m")
    statement = client.get(f"/statements/bv-biomed/{month}").get_data(as_text=True)
    assert "电感耦合等离子体质谱仪" in statement and 'id="statement-total">¥900.00' in statement
    assert "bv-biomed" in client.get(f"/statements?month={month}").get_data(as_text=True)


def test_statements_of_others_are_404(client, make, lab, login):
    login(make.user("enterprise"))
    month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    assert client.get(f"/statements/bv-biomed/{month}").status_code == 404
    assert client.get(f"/statements/bv-biomed/{month}.csv").status_code == 404
    assert client.get("/statements?month=garbage").status_code == 400


def test_closed_month_refuses_changes_through_the_pages(client, make, lab, login):
    booking, start = walk_in(client, lab, days_ago=40)
    month = start.strftime("%Y-%m")
    login(make.admin())
    client.post(f"/statements/{month}/close")
    assert "已结账" in client.get(f"/statements?month={month}").get_data(as_text=True)
    client.post("/logout")
    login(lab["manager"])
    response = client.post(
        f"/bookings/{booking['id']}/usage/record",
        data={
            "used_start": start.strftime("%Y-%m-%dT%H:%M"),
            "used_end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow_redirects=True,
    )
    assert "已结账；如需更正，请录入调整" in response.get_data(as_text=True)
    assert db.session.scalar(select(Charge.id)) is None


def test_admin_adjustment_through_the_page(client, make, lab, login):
    login(make.admin())
    client.post(
        "/adjustments", data={"organisation": "bv-biomed", "amount": "-50.00", "reason": "优惠"}
    )
    client.post(
        "/adjustments", data={"organisation": "bv-biomed", "amount": "1.001", "reason": "x"}
    )
    assert [c.amount for c in db.session.scalars(select(Charge))] == [Decimal("-50.00")]


def test_suspensions_page(client, make, lab, login):
    db.session.add(
        Suspension(
            user_id=lab["customer"].id,
            organisation_id=lab["instrument"].organisation_id,
            reason="3 no-shows in 90 days",
        )
    )
    db.session.commit()
    login(lab["manager"])
    assert "3 no-shows in 90 days" in client.get("/manage/suspensions").get_data(as_text=True)
    suspension_id = db.session.scalar(select(Suspension.id))
    client.post("/manage/suspensions", data={"id": suspension_id})
    db.session.expire_all()
    assert db.session.get(Suspension, suspension_id).lifted_at is not None


def test_reports_dashboard_and_csv(client, lab, login):
    booking, start = walk_in(client, lab)
    login(lab["manager"])
    client.post(
        f"/bookings/{booking['id']}/usage/record",
        data={
            "used_start": start.strftime("%Y-%m-%dT%H:%M"),
            "used_end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    year = start.year
    page = client.get(f"/reports?year={year}").get_data(as_text=True)
    assert "有效工作机时" in page and 'id="chart-utilisation"' in page
    large = client.get(f"/reports?year={year}&csv=large")
    assert large.mimetype == "text/csv"
    rows = large.data.decode("utf-8-sig").splitlines()
    assert rows[0] == "仪器编号,仪器,所属单位,原值,有效工作机时,对外服务机时,共享率"
    utilisation = client.get(f"/reports?year={year}&csv=utilisation").data.decode("utf-8-sig")
    assert "电感耦合等离子体质谱仪" in utilisation
    workbook = client.get(f"/reports?year={year}&xlsx=utilisation")
    assert workbook.mimetype == XLSX
    [header, row] = list(load_workbook(io.BytesIO(workbook.data)).active.values)
    assert header[:2] == ("仪器编号", "仪器") and row[1] == "电感耦合等离子体质谱仪"
    assert row[4] == Decimal("2") or row[4] == 2  # booked hours, a number
    revenue = client.get(f"/reports?year={year}&xlsx=revenue")
    sheet = load_workbook(io.BytesIO(revenue.data)).active
    money = sheet.cell(row=2, column=4)
    assert money.value == 600 and money.number_format == "#,##0.00"
    client.post("/logout")
    login(lab["customer"])
    assert client.get("/reports").status_code == 403
