"""The calendar tells the truth: open hours by default (all hours a click away), your own
bookings apart, the buffer apart, an estimate of the price, a day view on phones, and busy
times for anonymous visitors."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.auth.models import User
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import SHANGHAI
from tests.fixtures.browser import INSTRUMENT, sign_in

pytestmark = pytest.mark.browser


def first_lane(page) -> str:
    return page.locator(".fc-timegrid-slot-lane").first.get_attribute("data-time")


def morning(page):
    """10:00 in Qingdao today, so that the open hours frame the now line."""
    today = utcnow().astimezone(SHANGHAI).replace(hour=10, minute=0, second=0)
    page.clock.set_fixed_time(today)


def test_anonymous_visitors_see_busy_times_in_open_hours(page, live_server):
    morning(page)
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    expect(page.locator("#calendar .fc-timegrid")).to_be_visible()
    expect(page.locator("#calendar .fc-timegrid-slot-lane").first).to_have_attribute(
        "data-time", "08:00:00"
    )  # FIO's ICP-MS opens at 08:00
    page.get_by_role("button", name="全天").click()
    expect(page.locator("#calendar .fc-timegrid-slot-lane").first).to_have_attribute(
        "data-time", "00:00:00"
    )


def _own_future_booking(live_server):
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == "researcher@sdu.example"))
        booking = db.session.scalar(
            select(Booking)
            .where(Booking.user_id == user.id, Booking.start > utcnow() + timedelta(hours=1))
            .where(Booking.status.in_(("approved", "pending")))
            .order_by(Booking.start)
        )
        return booking.instrument_id, booking.start.astimezone(SHANGHAI).date()


def test_your_bookings_apart_and_a_price_before_you_ask(browser, live_server):
    instrument_id, day = _own_future_booking(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    morning(page)
    sign_in(page, live_server, "researcher@sdu.example")
    page.goto(f"{live_server}/instruments/{instrument_id}/book")
    assert page.locator("#calendar").get_attribute("data-hourly-price")
    while page.locator(f".fc-timegrid-col[data-date='{day.isoformat()}']").count() == 0:
        page.locator(".fc-next-button").click()
    expect(page.locator(".busy-mine").first).to_be_visible()
    expect(page.locator(".busy-mine").first).to_contain_text("我的预约")
    page.locator(".suggestion").count()  # none on a fresh page; the estimate comes from a drag
    column = page.locator(f".fc-timegrid-col[data-date='{day.isoformat()}']").bounding_box()
    lanes = page.locator(".fc-timegrid-slot-lane")
    top, below = (
        lanes.nth(lanes.count() - 4).bounding_box(),
        lanes.nth(lanes.count() - 3).bounding_box(),
    )
    x = column["x"] + column["width"] / 2
    page.mouse.move(x, top["y"] + top["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, below["y"] + below["height"] / 2, steps=6)
    page.mouse.up()
    expect(page.locator("#price-estimate")).to_contain_text("¥")
    context.close()


def test_a_phone_gets_a_readable_day(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "researcher@sdu.example")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    page.get_by_role("link", name="预约机时").click()
    expect(page.locator(".fc-timeGridDay-view")).to_be_visible()
    title = page.locator(".fc-toolbar-title").bounding_box()
    assert title["x"] >= 0 and title["x"] + title["width"] <= 390
    assert title["height"] < 40  # one line
    headers = page.locator(".fc-col-header-cell")
    assert headers.count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out sideways
    context.close()
