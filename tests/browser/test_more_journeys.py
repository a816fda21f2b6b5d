"""Journeys not covered elsewhere: a researcher cancels a booking and renews the calendar link;
a manager enters a downtime and cancels the bookings it hits; an admin unlocks a locked-out
account; a company user changes the password, forgets it and resets it from the mailed link."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.auth.models import Role, User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.browser import open_user_menu, sign_in

pytestmark = pytest.mark.browser


def test_researcher_cancels_a_booking_and_renews_the_calendar_link(page, live_server):
    sign_in(page, live_server, "researcher@qnlm.example")
    open_user_menu(page)
    page.get_by_role("link", name="我的预约").click()
    cancellable = page.locator("tbody tr", has=page.get_by_role("button", name="取消"))
    before = cancellable.count()
    assert before > 0
    row_time = cancellable.first.locator("td").first.inner_text()
    cancellable.first.get_by_role("button", name="取消").click()
    row = page.locator("tbody tr", has_text=row_time)
    expect(row.get_by_text("已取消")).to_be_visible()
    expect(cancellable).to_have_count(before - 1)

    page.goto(live_server + "/profile")
    old_feed = page.locator("#feed-url").input_value()
    assert page.request.get(old_feed).status == 200
    assert "BEGIN:VCALENDAR" in page.request.get(old_feed).text()
    page.get_by_role("button", name="更新链接（旧链接立即失效）").click()
    expect(page.get_by_text("日历订阅链接已更新", exact=False)).to_be_visible()
    new_feed = page.locator("#feed-url").input_value()
    assert new_feed != old_feed
    assert page.request.get(old_feed).status == 404
    assert page.request.get(new_feed).status == 200


def _future_booking_of_an_unused_lab(app):
    """A future approved booking on an instrument of OUC (no other journey touches its lab)."""
    with app.app_context():
        manager = db.session.scalar(select(User).where(User.email == "manager@ouc.example"))
        booking = db.session.scalar(
            select(Booking)
            .join(Booking.instrument)
            .where(
                Booking.status == BookingStatus.APPROVED,
                Booking.start > utcnow() + timedelta(days=1),
                Booking.instrument.has(organisation_id=manager.organisation_id),
            )
            .order_by(Booking.start)
        )
        assert manager.role == Role.MANAGER and booking is not None
        zone = app.config["PLATFORM_ZONE"]
        return booking.id, booking.instrument_id, booking.start.astimezone(zone)


def test_manager_enters_a_downtime_and_cancels_the_bookings_it_hits(page, live_server):
    booking_id, instrument_id, start = _future_booking_of_an_unused_lab(live_server.app)
    sign_in(page, live_server, "manager@ouc.example")
    page.goto(live_server + f"/instruments/{instrument_id}/downtimes")
    day = start.replace(hour=0, minute=0)
    page.get_by_label("开始").fill(day.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束").fill((day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("原因").first.fill("真空泵更换")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("受此停机影响的预约", exact=False)).to_be_visible()
    page.get_by_role("button", name="全部取消").click()
    expect(page.locator(".alert-success")).to_be_visible()
    with live_server.app.app_context():
        assert db.session.get(Booking, booking_id).status == BookingStatus.CANCELLED
    page.goto(live_server + f"/bookings/{booking_id}")
    expect(page.get_by_text("已取消").first).to_be_visible()
    expect(page.get_by_text("真空泵更换").first).to_be_visible()  # the reason is in the history


def test_admin_unlocks_a_locked_out_account(browser, live_server):
    locked_out = browser.new_context(locale="zh-CN").new_page()
    locked_out.goto(live_server + "/login")
    for _ in range(5):
        locked_out.get_by_label("电子邮箱").fill("researcher@ouc.example")
        locked_out.get_by_label("密码").fill("not-my-password-1")
        locked_out.get_by_role("button", name="登录").click()
    expect(locked_out.get_by_text("此账户已锁定", exact=False)).to_be_visible()

    admin = browser.new_context(locale="zh-CN").new_page()
    sign_in(admin, live_server, "admin@bluevalley.example")
    admin.goto(live_server + "/admin/users?locked=1")  # the locked-out accounts
    row = admin.locator("tbody tr", has_text="researcher@ouc.example")
    expect(row.get_by_text(re.compile("锁定至"))).to_be_visible()
    row.get_by_role("button", name="解锁").click()
    expect(
        admin.locator("tbody tr", has_text="researcher@ouc.example").get_by_text(
            re.compile("锁定至")
        )
    ).to_have_count(0)

    sign_in(locked_out, live_server, "researcher@ouc.example")  # the right password works again


class MailCatcher(logging.Handler):
    """Without a mail server the app writes mails to the log: read the reset link there."""

    def __init__(self):
        super().__init__()
        self.bodies: list[str] = []

    def emit(self, record):
        self.bodies.append(record.getMessage())


def test_company_user_changes_forgets_and_resets_the_password(page, live_server):
    email = "enterprise@textile.example"
    sign_in(page, live_server, email)
    open_user_menu(page)
    page.get_by_role("link", name="个人资料").click()
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("当前密码").fill("BlueValley2026")
    page.get_by_label("新密码").fill("Textile-2027")
    page.get_by_label("再次输入密码").fill("Textile-2027")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码已修改，其他设备上的登录已退出。")).to_be_visible()
    open_user_menu(page)
    page.get_by_role("button", name="退出").click()

    catcher = MailCatcher()
    logging.getLogger("sharing.mail").addHandler(catcher)
    try:
        page.goto(live_server + "/login")
        page.get_by_role("link", name="忘记密码？").click()
        page.get_by_label("电子邮箱").fill(email)
        page.get_by_role("button", name="发送链接").click()
        expect(page.get_by_text(f"如果 {email} 已注册账号", exact=False)).to_be_visible()
    finally:
        logging.getLogger("sharing.mail").removeHandler(catcher)
    [link] = re.findall(r"http://\S+/password/reset/\S+", "\n".join(catcher.bodies))

    page.goto(link)
    page.get_by_label("新密码").fill("Textile-2028")
    page.get_by_label("再次输入密码").fill("Textile-2028")
    page.get_by_role("button", name="设置新密码").click()
    expect(page.get_by_text("新密码已设置，请用新密码登录。")).to_be_visible()
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill("Textile-2028")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#mainNav .dropdown-toggle:has(.bi-person-circle)")).to_be_visible()
    page.goto(link)  # the link was spent by the reset
    expect(page.get_by_text("此链接已过期或已被使用。")).to_be_visible()


def _manager_with_the_longest_queue(app) -> str:
    from sqlalchemy import func

    from sharing.instruments.models import Instrument

    with app.app_context():
        busiest = db.session.execute(
            select(Instrument.organisation_id, func.count())
            .join(Booking, Booking.instrument_id == Instrument.id)
            .where(Booking.status == BookingStatus.PENDING)
            .group_by(Instrument.organisation_id)
            .order_by(func.count().desc())
        ).first()
        assert busiest is not None and busiest[1] >= 2
        return db.session.scalar(
            select(User.email).where(User.organisation_id == busiest[0], User.role == Role.MANAGER)
        )


def test_the_queue_ticks_every_request_at_once(page, live_server):
    sign_in(page, live_server, _manager_with_the_longest_queue(live_server.app))
    page.goto(live_server + "/manage/queue")
    boxes = page.locator('input[name="ids"]')
    assert boxes.count() >= 2
    everything = page.get_by_label("全选")
    everything.check()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    boxes.first.uncheck()
    assert everything.evaluate("box => box.indeterminate") is True
    everything.click()  # from "some": all
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    everything.click()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).not_to_be_checked()


def test_the_order_form_asks_for_a_tracking_number_only_by_courier(page, live_server):
    with live_server.app.app_context():
        from sharing.instruments.models import Instrument

        instrument_id = db.session.scalar(
            select(Instrument.id).where(Instrument.accepts_samples.is_(True)).limit(1)
        )
    sign_in(page, live_server, "enterprise@jimo-auto.example")
    page.goto(live_server + f"/instruments/{instrument_id}/order")
    tracking = page.get_by_label("快递单号", exact=False)
    expect(tracking).to_be_hidden()
    page.get_by_label("送样方式").select_option("courier")
    expect(tracking).to_be_visible()
    page.get_by_label("送样方式").select_option("in_person")
    expect(tracking).to_be_hidden()
