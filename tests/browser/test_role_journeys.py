"""Issue 37's acceptance: one short walk per role (researcher, company, manager, admin) through
the seeded demo, each page seen at desktop and phone width in Chinese and English, screenshots
in test-artifacts/roles/. Each step asserts what a newcomer must meet there: the estimate shown
and equal to the API's dry run, the training gate before the form, no voucher claim of ¥0,
notifications with their text and a link that opens.

One browser context per role; the viewport changes in place, so the file stays near a minute."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.auth.models import User
from sharing.bookings.services.listings import list_pending_for_manager
from sharing.extensions import db
from sharing.instruments.models import BookingUnit, Instrument
from sharing.notices.messages import said
from sharing.notices.models import Notification
from sharing.orders.models import Order
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow
from sharing.vouchers.models import VoucherClaim
from sharing.web.bookings.gates import booking_gates
from tests.browser.conftest import ARTIFACTS
from tests.fixtures.browser import free_slot, sign_in

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGUAGES = {"zh": "zh-CN", "en": "en"}
SHOTS = ARTIFACTS / "roles"


def visit(page, live_server, role: str, step: str, path: str, check) -> None:
    """Open `path` in each language, run `check(page, language)` on it, and keep a full-page
    screenshot at each width. Ends in Chinese, the language the other journeys expect."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for language in ("en", "zh"):
        page.set_viewport_size(SIZES["desktop"])
        page.goto(f"{live_server}/lang/{language}?next={quote(path)}")
        expect(page.locator("html")).to_have_attribute("lang", LANGUAGES[language])
        check(page, language)
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.screenshot(
                path=str(SHOTS / f"{role}-{step}-{language}-{size}.png"), full_page=True
            )


def no_server_error(page) -> None:
    expect(page.locator("main, body").first).not_to_contain_text("Internal Server Error")


def notices_of(live_server, email: str) -> list[tuple[str, str]]:
    """The (text, url) of the person's notifications, newest first as the page lists them."""
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        rows = db.session.execute(
            select(Notification.text, Notification.url)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(20)
        )
        return [tuple(row) for row in rows]


def in_language(live_server, text: str, language: str) -> str:
    """A stored notice as the page says it: loan and cruise notices in the page's language."""
    with live_server.app.test_request_context(), force_locale(language):
        return said(text)


def check_notifications(page, live_server, role: str, email: str) -> None:
    """Each notification on the page carries its text and a link to a page that opens."""
    notices = notices_of(live_server, email)
    assert notices, f"{email} has no notifications in the demo"

    def check(page, language):
        items = page.locator("#notices > li")
        expect(items).to_have_count(len(notices))
        for index, (text, url) in enumerate(notices):
            item = items.nth(index)
            assert text.strip(), "a notification without text"
            expect(item).to_contain_text(in_language(live_server, text, language))
            assert url.startswith("/"), f"notification {text!r} has no link"
            expect(item.locator("button[type=submit]")).to_be_visible()
        for url in {url for _, url in notices}:
            response = page.request.get(live_server + url)
            assert response.status == 200, f"{url} answered {response.status}"

    visit(page, live_server, role, "notifications", "/notifications", check)
    # Going there through the page itself (the button marks it read and follows its link).
    page.locator("#notices > li").first.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url == live_server + notices[0][1]
    no_server_error(page)


def gated_instrument(live_server, email: str) -> tuple[int, str]:
    """An instrument the person may not book for want of training."""
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        for instrument in db.session.scalars(select(Instrument).order_by(Instrument.id)):
            if any(gate.kind == "training" for gate in booking_gates(user, instrument)):
                return instrument.id, instrument.name
    raise AssertionError(f"no instrument needs training {email} lacks")


def dry_run_estimate(page, live_server, instrument_id: int, start, end) -> Decimal:
    token = page.locator("#booking-form [name=csrf_token]").input_value()
    response = page.request.post(
        live_server + "/api/v1/bookings",
        data={
            "instrument_id": instrument_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "dry_run": True,
        },
        headers={"X-CSRFToken": token},
    )
    assert response.status == 200, response.text()
    body = response.json()
    assert body["violations"] == [] and body["conflicts"] == [], body
    return Decimal(body["estimate"])


def shown_yuan(text: str) -> Decimal:
    found = re.search(r"¥\s*([\d,]+\.\d{2})", text)
    assert found, f"no amount in {text!r}"
    return Decimal(found.group(1).replace(",", ""))


def test_researcher_meets_the_gate_the_estimate_and_notifications(browser, live_server):
    email = "researcher@sdu.example"
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, email)

    gated_id, gated_name = gated_instrument(live_server, email)

    def instrument_gate(page, language):
        status = page.locator("#training-status")
        expect(status).to_have_attribute("data-status", "none")
        expect(page.locator("#training-request button[type=submit]")).to_be_visible()
        # The gate comes before the record and the calendar, not after a filled-in form.
        assert status.bounding_box()["y"] < page.locator("dl").first.bounding_box()["y"]

    visit(
        page,
        live_server,
        "researcher",
        "gated-instrument",
        f"/instruments/{gated_id}",
        instrument_gate,
    )

    def book_gate(page, language):
        gate = page.locator(".booking-gate[data-gate=training]")
        expect(gate).to_be_visible()
        expect(page.locator("#gate-training-link")).to_have_attribute(
            "href", f"/instruments/{gated_id}#training-request"
        )
        # A blocking gate stands in the form's place: nothing to fill in before learning it.
        expect(page.locator("#booking-form")).to_have_count(0)
        assert gate.bounding_box()["y"] < page.locator("#calendar").bounding_box()["y"]

    visit(page, live_server, "researcher", "gated-book", f"/instruments/{gated_id}/book", book_gate)
    page.locator("#gate-training-link").click()
    expect(page.locator("#training-request")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(gated_name)

    instrument_id, start = free_slot(live_server)
    end = start + timedelta(hours=2)
    with live_server.app.app_context():
        zone = platform_zone()
    local_start, local_end = (moment.astimezone(zone) for moment in (start, end))

    def live_estimate(page, language):
        expect(page.locator(".booking-gate")).to_have_count(0)
        page.wait_for_load_state("load")  # estimate.js listens once the scripts have run
        page.locator("#booking-form [name=start]").fill(local_start.strftime("%Y-%m-%dT%H:%M"))
        page.locator("#booking-form [name=end]").fill(local_end.strftime("%Y-%m-%dT%H:%M"))
        amount = page.locator("#live-estimate-amount")
        expect(amount).to_be_visible()
        label = "按您的费率预计" if language == "zh" else "Estimate at your rate"
        expect(amount).to_contain_text(label)
        expected = dry_run_estimate(page, live_server, instrument_id, start, end)
        assert expected > 0, "a two-hour booking estimated at ¥0"
        expect(amount).to_contain_text(f"{expected:,.2f}")
        assert shown_yuan(amount.inner_text()) == expected

    visit(
        page,
        live_server,
        "researcher",
        "book-estimate",
        f"/instruments/{instrument_id}/book",
        live_estimate,
    )

    check_notifications(page, live_server, "researcher", email)
    context.close()


def test_company_start_page_order_and_notifications(browser, live_server):
    email = "enterprise@biomed.example"
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, email)
    with live_server.app.app_context():
        name = db.session.scalar(select(User.name).where(User.email == email))
    order_url = next(url for _, url in notices_of(live_server, email) if url.startswith("/orders/"))

    def start_page(page, language):
        expect(page.locator("h1")).to_contain_text(name)
        # What needs the company today, each with a link that opens.
        links = page.locator("main a[href^='/bookings/'], main a[href^='/orders/']")
        expect(links.first).to_be_visible()
        for href in {links.nth(i).get_attribute("href") for i in range(links.count())}:
            assert page.request.get(live_server + href).status == 200, href
        no_server_error(page)

    visit(page, live_server, "company", "start", "/start", start_page)

    with live_server.app.app_context():
        order = db.session.get(Order, int(order_url.rsplit("/", 1)[1]))
        names = {"zh": order.instrument.name, "en": order.instrument.name_en}

    def order_page(page, language):
        expect(page.locator("h1")).to_contain_text(str(order.id))
        expect(page.locator("main")).to_contain_text(names[language])
        no_server_error(page)

    visit(page, live_server, "company", "order", order_url, order_page)
    check_notifications(page, live_server, "company", email)
    context.close()


def request_approval_at_qnlm(live_server) -> str:
    """A researcher's request, through the API, on a QNLM instrument needing approval: the
    demo leaves that lab's queue empty, and an empty queue would show nothing worth checking."""
    purpose = "Journey 37: a request to decide"
    client = live_server.app.test_client()
    token = client.post(
        "/api/v1/auth/tokens",
        json={"email": "researcher@qnlm.example", "password": "BlueValley2026"},
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    with live_server.app.app_context():
        booker = db.session.scalar(select(User).where(User.email == "researcher@qnlm.example"))
        instrument_id = next(
            instrument.id
            for instrument in db.session.scalars(
                select(Instrument)
                .where(
                    Instrument.organisation.has(slug="qnlm"),
                    Instrument.requires_approval.is_(True),
                    Instrument.booking_unit == BookingUnit.SLOT,
                )
                .order_by(Instrument.id)
            )
            if not booking_gates(booker, instrument)
        )
    after = (utcnow() + timedelta(days=3)).isoformat()
    slot = client.get(
        f"/api/v1/instruments/{instrument_id}/free-slots",
        query_string={"duration_minutes": 60, "after": after, "limit": 1},
        headers=headers,
    ).json["items"][0]
    answer = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument_id,
            "start": slot["start"],
            "end": slot["end"],
            "purpose": purpose,
        },
        headers=headers,
    )
    assert answer.status_code == 201, answer.json
    assert answer.json["status"] == "pending", answer.json
    return purpose


def test_manager_approvals_queue_and_an_instrument(browser, live_server):
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "manager@qnlm.example")
    purpose = request_approval_at_qnlm(live_server)
    with live_server.app.app_context():
        manager = db.session.scalar(select(User).where(User.email == "manager@qnlm.example"))
        pending = len(list_pending_for_manager(manager))

    def queue(page, language):
        heading = "待审核" if language == "zh" else "Requests to decide"
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.locator("h1 .badge")).to_have_text(str(pending))
        expect(page.locator("tbody tr:has(input[name=ids])")).to_have_count(pending)
        expect(page.locator("tbody tr", has_text=purpose)).to_be_visible()
        no_server_error(page)

    visit(page, live_server, "manager", "queue", "/manage/queue", queue)

    with live_server.app.app_context():
        instrument_id, name = db.session.execute(
            select(Instrument.id, Instrument.name)
            .where(Instrument.organisation_id == manager.organisation_id)
            .order_by(Instrument.id)
        ).first()

    def instrument(page, language):
        expect(page.locator("h1")).to_be_visible()
        if language == "zh":
            expect(page.locator("h1")).to_contain_text(name)
        expect(page.locator(".booking-gate")).to_have_count(0)  # its managers meet no gate
        no_server_error(page)

    visit(page, live_server, "manager", "instrument", f"/instruments/{instrument_id}", instrument)
    context.close()


def test_admin_voucher_claims_hold_no_zero_claim_and_receivables_open(browser, live_server):
    context = browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "admin@bluevalley.example")
    with live_server.app.app_context():
        claims = {
            claim.id: (
                claim.enterprise_subsidy + claim.provider_subsidy,
                sum(1 for line in claim.lines if line.eligible),
            )
            for claim in db.session.scalars(select(VoucherClaim))
        }
    assert claims, "the demo has no voucher claims to review"

    def voucher_claims(page, language):
        cards = page.locator("[data-claim]")
        expect(cards.first).to_be_visible()
        shown = [int(cards.nth(i).get_attribute("data-claim")) for i in range(cards.count())]
        assert shown and set(shown) <= set(claims)
        for claim_id in shown:
            subsidy, eligible = claims[claim_id]
            assert eligible > 0, f"claim {claim_id} has no eligible line"
            assert subsidy > 0, f"claim {claim_id} claims ¥0"
        text = page.locator("main, body").first.inner_text()
        assert not re.search(r"中 0 笔符合条件|\b0 (of \d+ )?eligible", text), "a ¥0 claim is shown"

    visit(page, live_server, "admin", "vouchers", "/vouchers", voucher_claims)

    def receivables(page, language):
        expect(page.locator("h1")).to_contain_text("应收" if language == "zh" else "Receivables")
        expect(page.locator("tfoot")).to_contain_text("¥")
        no_server_error(page)

    visit(page, live_server, "admin", "receivables", "/receivables?organisation=fio", receivables)

    def reports(page, language):
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("table").first).to_be_visible()
        no_server_error(page)

    visit(page, live_server, "admin", "reports", "/reports", reports)
    context.close()
