"""Sea-going gear lent by the day, from the basket to the released deposit (issue 31): a
researcher finds the CTD (FIO) and the multibeam (NDSC) free for her days, sees the quote of
the two owners' gear and sends it; each owner approves (FIO with its technician), records the
deposit and dispatches with the checklist; the handover form prints; the gear comes back, is
inspected, the charges reach the statement and the deposits are released."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.billing.models import Charge
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.loans.models import LoanItem, Operator
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow
from tests.browser.conftest import ARTIFACTS
from tests.fixtures.bookings import SHANGHAI
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser


def _today() -> date:
    return utcnow().astimezone(SHANGHAI).date()


BORROWER = "researcher@sdu.example"
CTD, MULTIBEAM = "温盐深剖面仪", "全海深多波束测深系统"  # FIO's and NDSC's day instruments
SHOTS = ARTIFACTS / "loans"


def _shot(page, name: str) -> None:
    """The page at a desk's width and at a phone's."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _person(browser, live_server, email: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, email)
    return page


def _gear(live_server) -> dict:
    with live_server.app.app_context():
        found = {}
        for slug, name in (("fio", CTD), ("ndsc", MULTIBEAM)):
            instrument = db.session.scalar(
                select(Instrument)
                .join(Organisation)
                .where(Organisation.slug == slug, Instrument.name == name)
            )
            found[name] = instrument.id
        found["operator"] = db.session.scalar(
            select(Operator.id).where(Operator.instrument_id == found[CTD])
        )
        return found


def _days() -> tuple[date, date]:
    """Four days within one month about three months ahead: free in the demo, one statement."""
    ahead = _today() + timedelta(days=90)
    first = ahead.replace(day=5)
    return first, first + timedelta(days=3)


def _api_loan(live_server, loan_id: int) -> dict:
    client = live_server.app.test_client()
    token = client.post(
        "/api/v1/auth/tokens", json={"email": BORROWER, "password": "BlueValley2026"}
    ).json["token"]
    return client.get(f"/api/v1/loans/{loan_id}", headers={"Authorization": f"Bearer {token}"}).json


def _yuan(amount) -> str:
    return f"{Decimal(amount):,.2f}"


def _step(page, form_selector: str, button: str) -> None:
    page.locator(form_selector).get_by_role("button", name=button).click()
    expect(page.get_by_text("已完成。")).to_be_visible()


def test_basket_of_two_owners_to_the_released_deposits(browser, live_server):
    gear = _gear(live_server)
    ctd, multibeam = gear[CTD], gear[MULTIBEAM]
    first, last = _days()

    borrower = _person(browser, live_server, BORROWER)
    borrower.goto(live_server + "/loans/new")
    borrower.fill("#find-start", first.isoformat())
    borrower.fill("#find-end", last.isoformat())
    borrower.locator("#find-free button").click()
    for instrument_id in (ctd, multibeam):
        row = borrower.locator(
            "#loan-form tbody tr", has=borrower.locator(f"#item-{instrument_id}")
        )
        expect(row.locator(".badge")).to_have_text("空闲")
        borrower.check(f"#item-{instrument_id}")
    borrower.check(f"#loan-form input[name=operator][value='{ctd}']")
    borrower.fill("#site", "“东方红3”号 黄海冷水团")
    borrower.select_option("#delivery", "with_cruise")
    borrower.fill("#purpose", "黄海冷水团夏季断面调查")
    borrower.get_by_role("button", name="查看报价").click()
    expect(borrower.locator("#quote")).to_contain_text("4")
    previewed = borrower.locator("#quote-total").inner_text()
    _shot(borrower, "1-basket-quote")
    borrower.get_by_role("button", name="发送申请").click()
    expect(borrower.locator("#loan-status")).to_be_visible()
    loan_url = borrower.url
    loan_id = int(loan_url.rstrip("/").rsplit("/", 1)[1])
    sent = _api_loan(live_server, loan_id)
    assert sent["status"] == "requested" and sent["days"] == 4
    assert {i["organisation"] for i in sent["items"]} == {"fio", "ndsc"}
    total = _yuan(sent["quote"]["total"])
    assert total in previewed
    expect(borrower.locator("#quote-total")).to_contain_text(total)
    borrower.fill("#policy", "PICC-2027-0451")  # the multibeam must be insured
    borrower.get_by_role("button", name="保存保险单").click()
    expect(borrower.locator("#insurance")).to_have_text("PICC-2027-0451")
    _shot(borrower, "2-sent")

    owners = {ctd: "manager@fio.example", multibeam: "manager@ndsc.example"}
    pages = {}
    for instrument_id, email in owners.items():
        owner = pages[instrument_id] = _person(browser, live_server, email)
        owner.goto(loan_url)
        card = f"#item-{instrument_id}"
        if instrument_id == ctd:
            owner.select_option(f"#op-{ctd}", str(gear["operator"]))
        _step(owner, f"{card} form:has(input[value=approve])", "批准")
        owner.fill(f"#on-{instrument_id}", _today().isoformat())
        owner.fill(f"#ref-{instrument_id}", f"BOC-{instrument_id}")
        _step(owner, f"{card} form:has(input[value=deposit])", "登记押金")
        owner.fill(f"#track-{instrument_id}", f"SF{instrument_id}")
        if instrument_id == multibeam:
            _shot(owner, "3-dispatch-checklist")
        _step(owner, f"#dispatch-{instrument_id}", "发出")
        owner.locator(card).get_by_role("link", name="交接单").click()
        expect(owner.locator("#checks-dispatch tbody tr").first).to_contain_text("是")
        expect(owner.locator("main")).to_contain_text(f"SF{instrument_id}")
        slug = email.split("@")[1].split(".")[0]
        _shot(owner, f"4-handover-{slug}")
        owner.emulate_media(media="print")  # the form as printed: print.css, no navigation
        owner.screenshot(path=str(SHOTS / f"4-handover-{slug}-print.png"), full_page=True)
        owner.emulate_media(media="screen")

    approved = _api_loan(live_server, loan_id)
    assert approved["status"] == "on_loan"
    ctd_item = next(i for i in approved["items"] if i["instrument_id"] == ctd)
    assert ctd_item["operator_id"] == gear["operator"]

    for instrument_id, owner in pages.items():
        owner.goto(loan_url)
        _step(owner, f"#return-{instrument_id}", "登记归还")
        owner.select_option(f"#outcome-{instrument_id}", "ok")
        _step(owner, f"#inspect-{instrument_id}", "检查并结单")
        expect(owner.locator(f"#item-{instrument_id}")).to_contain_text("已退还")
    _shot(owner, "5-inspected")

    closed = _api_loan(live_server, loan_id)
    assert closed["status"] == "closed"
    assert {i["deposit_status"] for i in closed["items"]} == {"released"}
    with live_server.app.app_context():
        charges = db.session.scalars(
            select(Charge)
            .join(LoanItem, Charge.loan_item_id == LoanItem.id)
            .where(LoanItem.loan_id == loan_id)
        ).all()
        lines = [(c.month, c.kind.value, c.amount) for c in charges]
    # Booked days at the day rates, both mobilisation fees, the technician's days: the quote.
    assert sum(amount for _m, _k, amount in lines) == Decimal(closed["quote"]["total"])
    assert {kind for _m, kind, _a in lines} == {"usage", "mobilisation", "operator"}
    (month,) = {m for m, _k, _a in lines}

    borrower.goto(f"{live_server}/statements/sdu-qd/{month}")
    # The statement says the charge in the reader's language: 借用单 12 on a Chinese page.
    ours = borrower.locator("tbody tr", has_text=f"（借用单 {loan_id}）")
    expect(ours).to_have_count(len(lines))
    shown = sorted(cell.inner_text() for cell in ours.locator("td:last-child").all())
    assert shown == sorted(f"¥{_yuan(amount)}" for _m, _k, amount in lines)
    expect(borrower.locator("#statement-total")).to_be_visible()
    _shot(borrower, "6-statement")
    borrower.goto(loan_url)
    for instrument_id in (ctd, multibeam):
        expect(borrower.locator(f"#item-{instrument_id}")).to_contain_text("已退还")
    _shot(borrower, "7-deposits-released")
    for page in (borrower, *pages.values()):
        page.context.close()
