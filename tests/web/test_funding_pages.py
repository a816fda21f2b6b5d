"""Funding account pages, and statements as a finance office downloads them (CSV and XLSX)."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from openpyxl import load_workbook

from sharing.billing.services import add_adjustment
from sharing.extensions import db
from sharing.funding.models import AccountMember, FundingAccount
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import walk_in
from tests.fixtures.bookings import SHANGHAI


def _university(make):
    university = make.org("university", slug="sdu-qd", name="山东大学（青岛）")
    return {
        "org": university,
        "manager": make.user("manager", university),
        "pi": make.user("researcher", university, name="王教授"),
        "student": make.user("researcher", university, name="李同学"),
    }


def test_a_manager_opens_an_account_and_its_holder_approves_a_member(client, make, login):
    people = _university(make)
    login(people["manager"])
    assert "开设经费账户" in client.get("/accounts").get_data(as_text=True)
    opened = client.post(
        "/accounts",
        data={
            "code": "NSFC-42176001",
            "name": "海洋微塑料溯源",
            "holder_id": people["pi"].id,
            "valid_from": local_today().isoformat(),
            "valid_until": (local_today() + timedelta(days=365)).isoformat(),
        },
        follow_redirects=True,
    )
    assert "已开设经费账户 NSFC-42176001" in opened.get_data(as_text=True)
    blank = client.post("/accounts", data={"code": ""}, follow_redirects=True)
    assert "请填写账户代码" in blank.get_data(as_text=True)
    account = db.session.scalar(db.select(FundingAccount))
    client.post("/logout")
    login(people["pi"])
    page = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "李同学" in page and "批准成员" in page
    added = client.post(
        f"/accounts/{account.id}/members",
        data={"user_id": people["student"].id},
        follow_redirects=True,
    )
    assert "李同学 可以使用该经费账户" in added.get_data(as_text=True)
    again = client.post(
        f"/accounts/{account.id}/members",
        data={"user_id": people["student"].id},
        follow_redirects=True,
    )
    assert "李同学 已是成员" in again.get_data(as_text=True)
    client.post("/logout")
    login(people["student"])
    listed = client.get("/accounts").get_data(as_text=True)
    assert 'data-account="NSFC-42176001"' in listed and "开设经费账户" not in listed
    refused = client.post(
        f"/accounts/{account.id}/members/{people['pi'].id}/remove", follow_redirects=True
    )
    assert "只有经费负责人可以审批成员" in refused.get_data(as_text=True)
    assert client.get("/accounts/999999").status_code == 404


def test_the_booking_form_offers_the_last_used_account_and_charges_it(
    client, make, lab, login, token_for
):
    people = _university(make)
    today = local_today()
    accounts = []
    for code in ("A-1", "B-2"):
        account = FundingAccount(
            organisation_id=people["org"].id,
            code=code,
            name=f"课题{code}",
            holder_id=people["pi"].id,
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=300),
            created_by_id=people["manager"].id,
        )
        db.session.add(account)
        accounts.append(account)
    db.session.commit()
    login(people["pi"])
    form = client.get(f"/instruments/{lab['instrument'].id}/book").get_data(as_text=True)
    assert 'name="account_id"' not in form  # the holder is no member yet: nothing to offer
    for account in accounts:
        db.session.add(
            AccountMember(
                account_id=account.id, user_id=people["pi"].id, approved_by_id=people["pi"].id
            )
        )
    db.session.commit()
    start = (utcnow() + timedelta(days=3)).astimezone(SHANGHAI).replace(hour=9, minute=0)
    booked = client.post(
        f"/instruments/{lab['instrument'].id}/book",
        data={
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "account_id": str(accounts[1].id),
        },
        follow_redirects=True,
    )
    page = booked.get_data(as_text=True)
    assert 'id="booking-account"' in page and "B-2" in page
    form = client.get(f"/instruments/{lab['instrument'].id}/book").get_data(as_text=True)
    first = form.index('name="account_id"')
    assert form.index(f'value="{accounts[1].id}" selected') > first  # the last used, chosen
    assert form.index("B-2") < form.index("A-1")


def test_statement_downloads_in_the_readers_language_with_labels_and_numbers(
    client, make, lab, login
):
    booking, start = walk_in(client, lab)
    login(lab["manager"])
    client.post(
        f"/bookings/{booking['id']}/usage/record",
        data={
            "used_start": start.strftime("%Y-%m-%dT%H:%M"),
            "used_end": (start + timedelta(hours=2, minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    client.post("/logout")
    month = start.strftime("%Y-%m")
    customer = lab["customer"]
    login(customer)
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/statements/bv-biomed/{month}.csv").data.decode("utf-8-sig"))
        )
    )
    header, line = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:5] == ["日期", "项目", "服务单位", "使用人", "经费账户"]
    assert (line["类型"], line["收费类别"], line["数量"], line["计量单位"]) == (
        "使用记录",
        "企业",
        "2.5",
        "小时",
    )
    assert (line["单价"], line["金额"], line["使用人"]) == ("300.00", "750.00", customer.name)
    assert rows[-1][1] == "合计" and rows[-1][-1] == "750.00"
    page = client.get(f"/statements/bv-biomed/{month}").get_data(as_text=True)
    assert "2.5 小时" in page and "每小时" in page
    workbook = client.get(f"/statements/bv-biomed/{month}.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    values = list(sheet.values)
    assert values[0][:2] == ("日期", "项目")
    amount = sheet.cell(row=2, column=13)
    assert amount.value == 750 and amount.number_format == "#,##0.00"
    assert (
        sheet.cell(row=2, column=9).value == Decimal("2.5")
        or sheet.cell(row=2, column=9).value == 2.5
    )
    assert values[1][1] == "电感耦合等离子体质谱仪"
    customer.locale = "en"
    db.session.commit()
    english = client.get(f"/statements/bv-biomed/{month}.csv").data.decode("utf-8-sig")
    assert english.startswith("Date,Item,Provider,User,Funding account")
    assert ",Usage,Enterprise,2.5,hours," in english


def test_formula_looking_text_is_neutralised_in_both_downloads(client, make, lab, login):
    admin = make.admin()
    add_adjustment(admin, lab["company"], Decimal("-12.50"), '=HYPERLINK("http://evil","x")')
    db.session.commit()
    login(lab["customer"])
    month = local_today().strftime("%Y-%m")
    text = client.get(f"/statements/bv-biomed/{month}.csv").data.decode("utf-8-sig")
    [line] = list(csv.reader(io.StringIO(text)))[1:2]
    assert line[1] == '\'=HYPERLINK("http://evil","x")' and line[-1] == "-12.50"
    sheet = load_workbook(io.BytesIO(client.get(f"/statements/bv-biomed/{month}.xlsx").data)).active
    assert (
        sheet.cell(row=2, column=2).value.startswith("'=")
        and sheet.cell(row=2, column=2).data_type == "s"
    )
    assert (
        sheet.cell(row=2, column=13).value == Decimal("-12.5")
        or sheet.cell(row=2, column=13).value == -12.5
    )
