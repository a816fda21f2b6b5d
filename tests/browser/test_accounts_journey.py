"""A researcher books on her PI's grant; once the session is recorded the PI sees the charge
on the account's page, under her name and month."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.billing.models import Charge
from sharing.billing.services import record_usage
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.util.formatting import format_yuan
from sharing.util.timeutil import utcnow
from tests.fixtures.browser import free_slot, open_user_menu, sign_in

pytestmark = pytest.mark.browser
GRANT = "NSFC-42176089"


def test_a_researcher_books_on_her_pis_account_and_the_pi_sees_the_charge(browser, live_server):
    instrument_id, start = free_slot(live_server)
    student = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = student.new_page()
    sign_in(page, live_server, "researcher@sdu.example")
    page.goto(live_server + f"/instruments/{instrument_id}/book")
    account = page.get_by_label("经费账户")
    expect(account.locator("option:checked")).to_contain_text(GRANT)  # her only valid grant
    page.get_by_label("开始").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("form button.w-100[type=submit]").click()
    expect(page.locator("#booking-account")).to_contain_text(GRANT)
    booking_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    student.close()

    # The session takes place (moved to yesterday) and the lab records it.
    with live_server.app.app_context():
        booking = db.session.get(Booking, booking_id)
        yesterday = timedelta(days=(booking.start - utcnow()).days + 1)
        booking.start, booking.end = booking.start - yesterday, booking.end - yesterday
        booking.blocked_until = booking.end
        booking.status = BookingStatus.APPROVED
        manager = db.session.scalar(
            select(User).where(
                User.role == "manager",
                User.organisation_id == booking.instrument.organisation_id,
            )
        )
        charge = record_usage(manager, booking, booking.start, booking.end, None)
        db.session.commit()
        grant = db.session.scalar(select(FundingAccount).where(FundingAccount.code == GRANT))
        assert charge.account_id == grant.id
        total = db.session.scalar(
            select(func.sum(Charge.amount)).where(Charge.account_id == grant.id)
        )

    holder = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    pi = holder.new_page()
    sign_in(pi, live_server, "pi@sdu.example")
    open_user_menu(pi)
    pi.get_by_role("link", name="经费账户").click()
    pi.get_by_role("link", name=GRANT).click()
    row = pi.locator(f'#account-usage tr[data-month="{charge.month}"]', has_text="李娜")
    expect(row).to_be_visible()
    expect(pi.locator("#account-total")).to_have_text(format_yuan(total))
    expect(pi.get_by_text("批准成员")).to_be_visible()  # the holder approves members here
    holder.close()
