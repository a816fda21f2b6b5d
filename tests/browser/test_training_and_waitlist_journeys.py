"""Two journeys of a researcher's day: a lapsed qualification renewed through training, and a
place in line that turns into a booking when the time frees up."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import INSTRUMENT, open_management_menu, open_user_menu, sign_in

pytestmark = pytest.mark.browser
SEM = "场发射扫描电子显微镜"  # QNLM's FE-SEM: training required; 张伟's qualification lapsed


def weekday_ahead(days: int, weekday: int) -> date:
    day = date.today() + timedelta(days=days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_a_lapsed_user_asks_the_manager_trains_and_grants_then_she_books(browser, live_server):
    trainee = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = trainee.new_page()
    sign_in(page, live_server, "researcher@fio.example")
    page.goto(live_server + "/instruments?q=" + SEM)
    page.get_by_role("link", name=SEM).click()
    expect(page.locator("#training-status")).to_have_attribute("data-status", "expired")
    page.get_by_label("想测什么？（可选）").fill("复训：腐蚀产物形貌")
    page.get_by_role("button", name="申请培训").click()
    expect(page.get_by_text("申请已发送给仪器管理员。")).to_be_visible()
    expect(page.locator("#training-status")).to_have_attribute("data-status", "requested")

    manager = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    desk = manager.new_page()
    sign_in(desk, live_server, "manager@qnlm.example")
    open_management_menu(desk)
    desk.get_by_role("link", name="培训申请").click()
    card = desk.locator("article[data-status='requested']", has_text="复训：腐蚀产物形貌")
    day = weekday_ahead(8, 2).isoformat()
    # Between the demo's 09-11 and 14-16 bookings and their 30-minute buffers, whatever the day.
    card.get_by_label("培训开始").fill(f"{day}T12:00")
    card.get_by_label("培训结束").fill(f"{day}T13:00")
    card.get_by_role("button", name="安排培训").click()
    expect(desk.get_by_text("已处理 张伟（副研究员） 的培训申请。")).to_be_visible()
    card = desk.locator("article[data-status='scheduled']", has_text="复训：腐蚀产物形貌")
    card.get_by_role("button", name="授予资格").click()
    expect(
        desk.locator("article[data-status='granted']", has_text="复训：腐蚀产物形貌")
    ).to_be_visible()

    page.reload()
    expect(page.locator("#training-status")).to_have_attribute("data-status", "qualified")
    page.get_by_role("link", name="预约机时").click()
    booking_day = weekday_ahead(9, 3).isoformat()
    page.get_by_label("开始", exact=True).fill(
        f"{booking_day}T17:00"
    )  # the demo books 09-11, 14-16
    page.get_by_label("结束", exact=True).fill(f"{booking_day}T18:00")
    page.get_by_role("button", name="申请此时段").click()
    expect(page.get_by_text("申请已提交，等待管理员确认。")).to_be_visible()
    trainee.close()
    manager.close()


def test_a_place_in_line_becomes_a_booking_through_the_bell(browser, live_server):
    day = weekday_ahead(10, 1).isoformat()
    first = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    holder = first.new_page()
    sign_in(holder, live_server, "researcher@sdu.example")
    holder.goto(live_server + "/instruments?q=" + INSTRUMENT)
    holder.get_by_role("link", name=INSTRUMENT).click()
    holder.get_by_role("link", name="预约机时").click()
    holder.get_by_label("开始", exact=True).fill(f"{day}T18:00")
    holder.get_by_label("结束", exact=True).fill(f"{day}T19:00")
    holder.get_by_role("button", name="申请此时段").click()
    expect(holder.get_by_text("申请已提交，等待管理员确认。")).to_be_visible()
    booking_url = holder.url

    second = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    waiter = second.new_page()
    sign_in(waiter, live_server, "researcher@ouc.example")
    waiter.goto(live_server + "/instruments?q=" + INSTRUMENT)
    waiter.get_by_role("link", name=INSTRUMENT).click()
    waiter.get_by_role("link", name="预约机时").click()
    waiter.get_by_label("开始", exact=True).fill(f"{day}T18:00")
    waiter.get_by_label("结束", exact=True).fill(f"{day}T19:00")
    waiter.get_by_role("button", name="申请此时段").click()
    expect(waiter.get_by_text("该时段已被占用。")).to_be_visible()
    waiter.get_by_role("button", name="排队等候该时段").click()
    expect(waiter.get_by_text("已加入排队，时段空出后会立即通知您。")).to_be_visible()
    expect(waiter.locator("#waitlist")).to_contain_text("排第 1 位")

    holder.goto(booking_url)
    holder.get_by_role("button", name="取消").first.click()
    expect(holder.get_by_text("已取消").first).to_be_visible()

    waiter.goto(live_server + "/start")
    expect(waiter.locator("#notice-count")).to_be_visible()
    waiter.locator("#notice-bell").click()
    offer = waiter.locator("#notices li", has_text="您排队等候的时段空出来了")
    offer.get_by_role("button", name="前往查看").click()
    expect(waiter.locator("#waitlist")).to_contain_text("为您保留中")
    waiter.get_by_role("button", name="立即预约").click()
    expect(waiter.get_by_text("申请已提交，等待管理员确认。")).to_be_visible()
    open_user_menu(waiter)
    first.close()
    second.close()
