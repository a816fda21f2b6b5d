"""Loans on the pages and in the calendars: the basket of two owners with its quote, each
owner's steps, the handover form, the overdue list and the daily sweep, days across a month
boundary in the statements, and loans as all-day events read by three parsers."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar
from sqlalchemy import select

from sharing.extensions import db
from sharing.loans.models import LoanItem
from sharing.loans.services import sweep_overdue
from sharing.notices.models import Notification
from sharing.util.timeutil import utcnow
from tests.fixtures.loans import days_ahead, loan_body, sea_gear


@pytest.fixture
def gear(make, token_for):
    return sea_gear(make, token_for)


def test_the_basket_shows_what_is_free_quotes_and_sends(client, gear, login):
    login(gear["borrower"])
    first, last = days_ahead(10).isoformat(), days_ahead(14).isoformat()
    page = client.get(f"/loans/new?start_date={first}&end_date={last}")
    assert (
        page.status_code == 200 and gear["rov"].name in page.text and "Free" in page.text
    ) or "空闲" in page.text
    form = {
        "start_date": first,
        "end_date": last,
        "item": [str(gear["rov"].id), str(gear["ctd"].id)],
        "operator": [str(gear["rov"].id)],
        "site": "青岛港",
        "delivery": "with_cruise",
        "send": "0",
    }
    quoted = client.post("/loans/new", data=form)
    assert quoted.status_code == 200 and "420,000.00" in quoted.text
    sent = client.post("/loans/new", data={**form, "send": "1"})
    assert sent.status_code == 302
    detail = client.get(sent.headers["Location"])
    assert detail.status_code == 200 and gear["ctd"].name in detail.text
    taken = client.get(f"/loans/new?start_date={first}&end_date={last}")
    assert taken.text.count("badge text-bg-danger") == 2


def test_owners_step_the_loan_on_its_page_and_print_the_handover(client, gear, login):
    loan = client.post(
        "/api/v1/loans", json=loan_body(gear, with_operator=False), headers=gear["as_borrower"]
    ).json
    login(gear["borrower"])
    client.post(
        f"/loans/{loan['id']}/steps", data={"step": "insurance", "insurance_policy": "PICC-9"}
    )
    login(gear["pilot"])  # a manager of the ROV's owner
    rov = gear["rov"].id
    steps = f"/loans/{loan['id']}/items/{rov}/steps"
    client.post(steps, data={"step": "approve"})
    client.post(
        steps,
        data={
            "step": "deposit",
            "amount": "50000",
            "received_on": days_ahead(0).isoformat(),
            "reference": "BOC",
        },
    )
    dispatch = {
        "step": "dispatch",
        "tracking_number": "SF9",
        "component": [str(c) for c in gear["components"]],
    }
    dispatch |= {f"present_{c}": "on" for c in gear["components"]}
    assert client.post(steps, data=dispatch).status_code == 302
    item = db.session.scalar(
        select(LoanItem).where(LoanItem.loan_id == loan["id"], LoanItem.instrument_id == rov)
    )
    db.session.refresh(item)
    assert item.status.value == "on_loan" and item.tracking_number == "SF9"
    form = client.get(f"/loans/{loan['id']}/items/{rov}/handover")
    assert form.status_code == 200 and "TT-001" in form.text and "CAM-7" in form.text
    quote = client.get(f"/loans/{loan['id']}/quote")
    assert quote.status_code == 200 and "375,000.00" in quote.text


def test_the_overdue_sweep_tells_once_a_day_and_flags_the_next_loan(client, gear, make, token_for):
    api = client.post
    ctd = gear["ctd"].id
    body = {"items": [{"instrument_id": ctd}], "start_date": days_ahead(1).isoformat()}
    body["end_date"] = days_ahead(2).isoformat()
    loan = api("/api/v1/loans", json=body, headers=gear["as_borrower"]).json
    assert (
        api(
            f"/api/v1/loans/{loan['id']}/items/{ctd}/approve", json={}, headers=gear["as_ctd"]
        ).status_code
        == 200
    )
    assert (
        api(
            f"/api/v1/loans/{loan['id']}/items/{ctd}/dispatch",
            json={"checklist": []},
            headers=gear["as_ctd"],
        ).status_code
        == 200
    )
    later = api(
        "/api/v1/loans",
        json={
            "items": [{"instrument_id": ctd}],
            "start_date": days_ahead(3).isoformat(),
            "end_date": days_ahead(4).isoformat(),
        },
        headers=token_for(make.user("researcher")),
    ).json
    three_days_on = utcnow() + timedelta(days=3)
    assert sweep_overdue(three_days_on) == 1
    assert sweep_overdue(three_days_on) == 0  # once a day
    db.session.commit()
    shown = client.get(f"/api/v1/loans/{loan['id']}", headers=gear["as_borrower"]).json
    assert shown["items"][0]["status"] == "overdue" and shown["status"] == "overdue"
    listed = client.get("/api/v1/loans?status=overdue", headers=gear["as_ctd"]).json
    assert [x["id"] for x in listed["items"]] == [loan["id"]]
    assert (
        client.get(f"/api/v1/loans/{later['id']}", headers=gear["as_ctd"]).json["at_risk"] is True
    )
    notices = db.session.scalars(
        select(Notification.kind).where(Notification.kind == "loan_overdue")
    ).all()
    assert len(notices) >= 2  # the borrower and the owner's manager
    assert sweep_overdue(three_days_on + timedelta(days=1)) == 1  # and again the next day


def test_a_loan_across_a_month_end_is_charged_in_each_month(client, gear):
    """Days are cut at the month end: each month's statement holds its own days."""
    from decimal import Decimal

    from sharing.loans.policy import Closing, ItemTerms, closing_lines

    terms = ItemTerms("CTD", Decimal("2000.00"), Decimal("0"), Decimal("0"), Decimal("500.00"))
    lines = closing_lines(
        terms,
        date(2027, 4, 28),
        date(2027, 5, 3),
        Closing(date(2027, 4, 28), date(2027, 5, 4)),
        None,
    )
    usage = [(day, line.quantity, line.amount) for day, line in lines if line.kind == "usage"]
    assert usage == [
        (date(2027, 4, 28), 3, Decimal("6000.00")),
        (date(2027, 5, 1), 4, Decimal("8000.00")),
    ]
    operator = [line.amount for _day, line in lines if line.kind == "operator"]
    assert operator == [Decimal("1500.00"), Decimal("2000.00")]


def test_loans_are_all_day_events_in_the_feeds(client, gear):
    loan = client.post("/api/v1/loans", json=loan_body(gear), headers=gear["as_borrower"]).json
    url = client.get("/api/v1/me", headers=gear["as_borrower"]).json["calendar_feed_url"]
    body = client.get(url[url.index("/calendar/") :]).data
    event = next(e for e in Calendar.from_ical(body).walk("VEVENT") if "loan-" in str(e["UID"]))
    assert event["DTSTART"].dt == days_ahead(10) and event["DTEND"].dt == days_ahead(15)
    assert b"DTSTART;VALUE=DATE:" in body
    parsed = vobject.readOne(body.decode())
    starts = [v.dtstart.value for v in parsed.vevent_list if "loan-" in v.uid.value]
    assert starts == [days_ahead(10)]
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(
        days_ahead(12), days_ahead(13)
    )
    assert [str(e["UID"]) for e in found] == [f"loan-{loan['id']}@bluevalley-sharing"]
    public = client.get(f"/calendar/instruments/{gear['rov'].id}.ics").data
    days = list(Calendar.from_ical(public).walk("VEVENT"))
    assert [(e["DTSTART"].dt, e["DTEND"].dt) for e in days] == [(days_ahead(10), days_ahead(16))]
    assert gear["borrower"].name.encode() not in public


def test_a_loan_says_its_quote_and_history_in_the_readers_language(client, gear, login):
    """Issue 37: a Chinese page showed "ROV: mobilisation", "ROV: operator" and raw actions
    ("request", "approve") in the history. The API keeps its stored English descriptions."""
    gear["rov"].name, gear["rov"].name_en = "遥控潜水器", "Remotely operated vehicle"
    db.session.commit()
    loan = client.post("/api/v1/loans", json=loan_body(gear), headers=gear["as_borrower"]).json
    api_lines = [line["description"] for line in loan["quote"]["lines"]]
    assert "遥控潜水器: mobilisation" in api_lines and "遥控潜水器: operator" in api_lines
    login(gear["borrower"])

    client.get("/lang/zh")
    page = client.get(f"/loans/{loan['id']}").text
    table = page[page.index('id="quote-table"') : page.index("</table>", page.index("quote-table"))]
    assert "遥控潜水器：动员费" in table and "遥控潜水器：操作员" in table
    words = re.sub(r"<[^>]+>", " ", table)  # what the reader sees, not the attributes
    assert "mobilisation" not in words and "operator" not in words
    history = page[page.rindex("<ul") :]
    assert 'data-action="request">已申请</span>' in history
    assert ">request<" not in history and "request →" not in history
    printed = client.get(f"/loans/{loan['id']}/quote").text
    assert "遥控潜水器：动员费" in printed

    client.get("/lang/en")
    page = client.get(f"/loans/{loan['id']}").text
    assert "Remotely operated vehicle: mobilisation" in page
    assert "Remotely operated vehicle: operator" in page
    assert 'data-action="request">Requested</span>' in page


def test_loan_charges_are_said_in_the_readers_language_and_stored_as_before(app):
    """The stored "<name> (loan #12)" of a loan's charges stays (statements' CSV, the API);
    the pages say it in their language."""
    from flask_babel import force_locale

    from sharing.web.templating import charge_text

    with app.test_request_context():
        with force_locale("zh"):
            assert str(charge_text("遥控潜水器 (loan #12)")) == "遥控潜水器（借用单 12）"
            assert str(charge_text("场发射扫描电镜")) == "场发射扫描电镜"
        with force_locale("en"):
            english = str(charge_text("遥控潜水器 (loan #12)"))
            assert english.startswith('<span lang="zh-CN">遥控潜水器</span>')
            assert english.endswith("(loan #12)")
            assert str(charge_text("<b>x</b> (loan #3)")) == "&lt;b&gt;x&lt;/b&gt; (loan #3)"
