"""A researcher drags a slot in the calendar, the manager approves it, the researcher sees it."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import INSTRUMENT, open_management_menu, open_user_menu, sign_in

pytestmark = pytest.mark.browser


def next_tuesday() -> date:
    day = date.today() + timedelta(days=3)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return day


def drag(page, day: date, from_time: str, to_time: str):
    """Press on the slot at `from_time` and release on the one before `to_time`."""
    page.locator(f".fc-timegrid-slot-lane[data-time='{to_time}']").scroll_into_view_if_needed()
    column = page.locator(f".fc-timegrid-col[data-date='{day.isoformat()}']")
    x = column.bounding_box()["x"] + column.bounding_box()["width"] / 2
    first = page.locator(f".fc-timegrid-slot-lane[data-time='{from_time}']").bounding_box()
    last = page.locator(f".fc-timegrid-slot-lane[data-time='{to_time}']").bounding_box()
    page.mouse.move(x, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, last["y"] + last["height"] / 2, steps=8)
    page.mouse.up()


def test_request_from_calendar_then_approval(browser, live_server):
    day = next_tuesday()
    researcher = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = researcher.new_page()
    sign_in(page, live_server, "researcher@sdu.example")
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    page.get_by_role("link", name="预约机时").click()
    while page.locator(f".fc-timegrid-col[data-date='{day.isoformat()}']").count() == 0:
        page.locator(".fc-next-button").click()
    drag(page, day, "17:00:00", "18:30:00")  # the demo data books 09-11 and 14-16 only
    expect(page.get_by_label("开始")).to_have_value(f"{day.isoformat()}T17:00")
    expect(page.get_by_label("结束")).to_have_value(f"{day.isoformat()}T19:00")
    # Cost before commitment: the form's script prices the times by the API's dry run.
    expect(page.locator("#live-estimate-amount")).to_contain_text("按您的费率预计：¥")
    page.get_by_label("用途（样品、方法）").fill("海水痕量金属")
    page.get_by_role("button", name="申请此时段").click()
    expect(page.get_by_text("申请已提交，等待管理员确认。")).to_be_visible()
    expect(page.get_by_text("待审核").first).to_be_visible()
    booking_url = page.url

    manager = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = manager.new_page()
    sign_in(desk, live_server, "manager@fio.example")
    open_management_menu(desk)
    desk.get_by_role("link", name="待审核申请").click()
    row = desk.locator("tr", has_text="海水痕量金属")
    row.get_by_role("checkbox").check()
    desk.get_by_role("button", name="批准所选").click()
    expect(desk.get_by_text("已处理 1 个申请中的 1 个。")).to_be_visible()
    manager.close()

    page.goto(booking_url)
    expect(page.get_by_text("已确认").first).to_be_visible()
    open_user_menu(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的预约").click()
    expect(page.locator("tr", has_text=INSTRUMENT).get_by_text("已确认")).to_be_visible()
    researcher.close()


def test_calendar_shows_taken_time_and_a_refusal_offers_suggestions(page, live_server):
    day = next_tuesday() + timedelta(days=1)  # a Wednesday
    sign_in(page, live_server, "researcher@fio.example")
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    page.get_by_role("link", name="预约机时").click()
    book_url = page.url
    for attempt in range(2):
        page.goto(book_url)
        page.get_by_label("开始").fill(f"{day.isoformat()}T18:00")
        page.get_by_label("结束").fill(f"{day.isoformat()}T19:00")
        page.get_by_role("button", name="申请此时段").click()
        if attempt == 0:
            expect(page.get_by_text("申请已提交，等待管理员确认。")).to_be_visible()
    expect(page.get_by_text("该时段已被占用。")).to_be_visible()
    page.wait_for_load_state("load")  # the suggestions' click handler comes with the scripts
    suggestion = page.locator(".suggestion").first
    suggestion.click()
    expect(page.get_by_label("开始")).to_have_value(suggestion.get_attribute("data-start"))
    while page.locator(f".fc-timegrid-col[data-date='{day.isoformat()}']").count() == 0:
        page.locator(".fc-next-button").click()
    expect(page.locator(".fc-event.busy-booking").first).to_be_visible()
