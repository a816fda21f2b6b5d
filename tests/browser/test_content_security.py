"""Pages with calendars, charts and menus work under the CSP: no violation, everything drawn."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import INSTRUMENT, open_user_menu, sign_in

pytestmark = pytest.mark.browser


def test_no_csp_violation_on_script_heavy_pages(page, live_server):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, live_server, "manager@fio.example")
    page.goto(live_server + "/instruments?q=" + INSTRUMENT)
    page.get_by_role("link", name=INSTRUMENT).click()
    page.get_by_role("link", name="预约机时").click()
    expect(page.locator(".fc-timegrid")).to_be_visible()
    page.goto(live_server + "/challenges/statistics")
    expect(page.locator("#chart-field")).to_be_visible()
    assert page.evaluate("document.getElementById('chart-field').width") > 0
    page.goto(live_server + "/reports")
    expect(page.locator("#chart-utilisation")).to_be_visible()
    open_user_menu(page)
    expect(page.get_by_role("link", name="对账单")).to_be_visible()  # Bootstrap's script runs
    assert violations == []
