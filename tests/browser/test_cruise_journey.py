"""A shared cruise from the call to the data: the vessel's manager publishes and opens it, two
groups apply, the chief scientist allocates and sees the shares, the cruise comes back two days
late, a group delivers its data record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sharing.util.timeutil import utcnow
from tests.browser.conftest import ARTIFACTS
from tests.fixtures.bookings import SHANGHAI

pytestmark = pytest.mark.browser
NAME = "渤海海峡春季共享航次"


def _sign_in(page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill("BlueValley2026")
    page.get_by_role("button", name="登录").click()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"cruise-{name}.png"), full_page=True)


def test_publish_apply_allocate_return_late_and_deliver_data(page, live_server):
    today = utcnow().astimezone(SHANGHAI).date()
    departs = today + timedelta(days=200)
    returns = departs + timedelta(days=9)

    _sign_in(page, live_server, "manager@fio.example")
    page.goto(f"{live_server}/cruises")
    page.locator('a[href$="/cruises/new"]').click()
    page.fill("#name", NAME)
    page.fill("#departs_on", departs.isoformat())
    page.fill("#returns_on", returns.isoformat())
    page.fill("#mobilisation_days", "2")
    page.fill("#port_from", "青岛")
    page.fill("#port_to", "烟台")
    page.fill("#area", "渤海海峡")
    page.fill("#chief_scientist", "researcher@fio.example")
    page.fill("#apply_by", (today + timedelta(days=30)).isoformat())
    page.fill("#day_rate", "180000.00")
    _shot(page, "1-publish")
    page.locator("form button.btn-primary").click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    page.locator('form[action$="/open"] button').click()
    cruise_url = page.url

    for email, project, berths in (
        ("researcher@sdu.example", "渤海海峡潮流能资源评估", "4"),
        ("enterprise@biomed.example", "海洋微生物活性样品采集", "2"),
    ):
        _sign_in(page, live_server, email)
        page.goto(cruise_url + "/apply")
        page.fill("#project", project)
        page.fill("#berths", berths)
        page.fill("#deck_m2", "10")
        page.fill("#station_hours", "12")
        page.locator("form button.btn-primary").click()
        expect(page.get_by_text(project)).to_be_visible()

    _sign_in(page, live_server, "researcher@fio.example")  # the chief scientist
    page.goto(cruise_url)
    expect(page.locator("[data-application]")).to_have_count(2)
    _shot(page, "2-side-by-side")
    page.locator("#allocate").click()
    expect(page.locator("#capacity [data-left='berths']")).to_have_text("30")
    page.goto(cruise_url + "/costs")
    # 2 mobilisation days + 10 days at sea at ¥180,000 a day, shared 4:2.
    expect(page.locator("#shares tbody tr")).to_have_count(2)
    expect(page.locator("#shares")).to_contain_text("0.6667")
    _shot(page, "3-shares")

    _sign_in(page, live_server, "manager@fio.example")
    page.goto(cruise_url)
    page.locator('form[action$="/depart"] button').click()
    page.fill("#returned_on", (returns + timedelta(days=2)).isoformat())
    page.locator('form[action$="/complete"] button').click()
    page.goto(cruise_url + "/costs")
    expect(page.locator("#cost-total")).to_contain_text("14")
    _shot(page, "4-back-late")

    _sign_in(page, live_server, "researcher@sdu.example")
    page.goto(cruise_url)
    page.fill("#description", "ADCP 流速剖面与 CTD 数据")
    page.fill("#url", "https://data.example.org/bohai-2027")
    page.fill("#embargo_until", (today + timedelta(days=365)).isoformat())
    page.locator("#deliver-data").click()
    expect(page.locator("#obligations")).to_contain_text(today.isoformat())
    _shot(page, "5-data-delivered")
