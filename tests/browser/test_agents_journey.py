"""At the instrument, on a phone: scan the QR code (open the page it encodes), sign in, check in
with one tap, check out with another."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.auth.services import get_user_by_email
from sharing.bookings.services import request_booking
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow
from tests.browser.conftest import ARTIFACTS
from tests.fixtures.bookings import SHANGHAI

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
INSTRUMENT = "离子色谱仪"  # Shandong University's; nobody else's journey books it now


def _booked_now(app) -> int:
    """A booking of the researcher going on now, entered by the instrument's manager."""
    now = utcnow().astimezone(SHANGHAI)
    start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    with app.app_context():
        instrument = db.session.scalar(select(Instrument).where(Instrument.name == INSTRUMENT))
        manager = get_user_by_email("manager@sdu.example")
        researcher = get_user_by_email("researcher@sdu.example")
        request_booking(
            manager, instrument.id, start, start + timedelta(hours=1), "离子色谱", researcher.id
        )
        db.session.commit()
        return instrument.id


def test_scan_the_qr_code_then_check_in_and_out_on_a_phone(browser, live_server):
    instrument_id = _booked_now(live_server.app)
    here = f"{live_server}/instruments/{instrument_id}/here"
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    qr = page.request.get(f"{live_server}/instruments/{instrument_id}/qr.svg")
    assert qr.ok and qr.headers["content-type"].startswith("image/svg+xml")

    page.goto(here)  # what the label's QR code opens: sign in first, then back here
    page.get_by_label("电子邮箱").fill("researcher@sdu.example")
    page.get_by_label("密码").fill("BlueValley2026")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(here)
    expect(page.get_by_role("heading", name=INSTRUMENT)).to_be_visible()
    check_in = page.get_by_role("button", name="签到上机")
    expect(check_in).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agents-phone-1-booking.png"), full_page=True)

    check_in.click()
    expect(page.get_by_text("已签到，祝实验顺利。")).to_be_visible()
    expect(page.locator("#current-booking")).to_have_attribute("data-action", "check_out")
    page.screenshot(path=str(ARTIFACTS / "agents-phone-2-checked-in.png"), full_page=True)

    page.get_by_role("button", name="签退下机").click()
    expect(page.get_by_text("已签退，谢谢。")).to_be_visible()
    expect(page.locator("#no-current-booking")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "agents-phone-3-checked-out.png"), full_page=True)
    phone.close()
