"""The booking calendar's "now" and "today" are the platform zone's, whatever the browser's."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import INSTRUMENT, sign_in

pytestmark = pytest.mark.browser


def now_line_between(page, earlier: str, later: str) -> bool:
    line = page.locator(".fc-timegrid-now-indicator-line").bounding_box()
    top = page.locator(f".fc-timegrid-slot-lane[data-time='{earlier}']").bounding_box()
    bottom = page.locator(f".fc-timegrid-slot-lane[data-time='{later}']").bounding_box()
    return top["y"] <= line["y"] <= bottom["y"]


@pytest.mark.parametrize(
    ("instant", "today", "earlier", "later"),
    [
        # 20:10 in Qingdao is 12:10 UTC; 07:30 the next morning is 23:30 UTC the day before.
        (datetime(2026, 12, 1, 12, 10, tzinfo=UTC), "2026-12-01", "20:00:00", "21:00:00"),
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), "2026-12-02", "07:00:00", "08:00:00"),
    ],
    ids=["20:10", "07:30"],
)
def test_now_line_and_today_in_the_platform_zone(
    browser, live_server, instant, today, earlier, later
):
    # A browser in New York: neither UTC nor Qingdao.
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="zh-CN", timezone_id="America/New_York"
    )
    page = context.new_page()
    page.clock.set_fixed_time(instant)
    sign_in(page, live_server, "researcher@sdu.example")
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    page.get_by_role("link", name="预约机时").click()
    expect(page.locator(".fc-timegrid-now-indicator-line")).to_have_count(1)
    expect(page.locator(".fc-day-today.fc-timegrid-col")).to_have_attribute("data-date", today)
    assert now_line_between(page, earlier, later)
    context.close()
