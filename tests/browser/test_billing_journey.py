"""A manager checks a booking in and out; the customer's statement shows the charge."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import INSTRUMENT, open_user_menu, sign_in

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_check_in_out_then_statement(browser, live_server):
    # A walk-in going on now: check-in opens 30 minutes before the start and closes at the end.
    now = datetime.now(SHANGHAI)
    start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    lab = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = lab.new_page()
    sign_in(page, live_server, "manager@fio.example")
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    page.get_by_role("link", name="预约机时").click()
    page.get_by_label("开始").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("代为预约（填写邮箱，仅限管理员）").fill("enterprise@biomed.example")
    page.get_by_role("button", name="申请此时段").click()
    expect(page.get_by_text("预约已确认。")).to_be_visible()
    page.get_by_role("button", name="签到上机").click()
    expect(page.get_by_text("使用记录已保存。")).to_be_visible()
    page.get_by_role("button", name="签退下机").click()
    expect(page.get_by_text("已完成").first).to_be_visible()
    # 1 h at FIO's enterprise rate: the charge line, not the estimate beside it (#booking-estimate)
    charge = page.locator("main li", has_text="(1 × ¥675.00)")
    expect(charge).to_contain_text(": ¥675.00")
    lab.close()

    company = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    customer = company.new_page()
    sign_in(customer, live_server, "enterprise@biomed.example")
    open_user_menu(customer)
    customer.get_by_role("link", name="对账单").click()
    customer.locator("main").get_by_role("link", name="对账单").click()
    # The demo data has charged sessions of earlier days too: today's line is ours.
    today = start.strftime("%Y-%m-%d")
    line = customer.locator("tbody tr", has_text=today).filter(has_text=INSTRUMENT)
    expect(line.locator("td").last).to_have_text("¥675.00")
    expect(customer.locator("#statement-total")).to_be_visible()
    company.close()
