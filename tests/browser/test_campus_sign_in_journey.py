"""A researcher of Shandong University signs in with the university's CAS account (the real
CAS server of tests/idp), books an instrument and signs out, which also signs her out at CAS;
in Chinese and in English, with screenshots of each step in test-artifacts/."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.auth.campus import configure_campus_sign_in
from sharing.auth.models import Role, User
from sharing.extensions import db
from sharing.orgs.services import require_organisation
from tests.browser.conftest import ARTIFACTS
from tests.fixtures.browser import free_slot, open_user_menu, user_menu_toggle
from tests.fixtures.idp import PASSWORD

pytestmark = pytest.mark.browser
WORDS = {
    "zh": {"book": "申请此时段", "sign_out": "退出", "offer": "使用山东大学（青岛校区）账号登录"},
    "en": {
        "book": "Request this slot",
        "sign_out": "Sign out",
        "offer": "Sign in with Shandong University (Qingdao Campus)",
    },
}


def _campus_sign_in_at(live_server, idp):
    """The demo's Shandong University signs in at the test CAS server."""
    with live_server.app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        organisation = require_organisation("sdu-qd")
        settings = {
            "protocol": "cas",
            "server_url": idp.cas_url,
            "email_domains": ["mail.sdu.example"],
            "default_role": "researcher",
        }
        configure_campus_sign_in(admin, organisation, settings)
        db.session.commit()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"campus-{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sign_in_with_cas_book_and_sign_out(browser, live_server, idp, lang):
    _campus_sign_in_at(live_server, idp)
    words = WORDS[lang]
    username = f"2026{lang}0417"
    address = f"zhou.{lang}@mail.sdu.example"
    idp.add_user(
        username,
        address,
        first="雨桐" if lang == "zh" else " Yutong",
        last="周" if lang == "zh" else "Zhou",
    )
    instrument_id, start = free_slot(live_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server + f"/lang/{lang}?next=/login")
    page.locator("#password-form input[name=email]").fill(address)
    offer = page.locator("#campus-offer-link")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text(words["offer"])
    _shot(page, f"1-offer-{lang}")

    offer.click()
    expect(page.locator("#id_username")).to_be_visible()
    assert page.url.startswith(idp.cas_url + "/login?service=")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    _shot(page, f"2-cas-{lang}")
    page.locator("#login_form button[type=submit]").click()
    expect(user_menu_toggle(page)).to_be_visible()
    assert page.url.startswith(live_server)
    _shot(page, f"3-signed-in-{lang}")

    page.goto(live_server + f"/instruments/{instrument_id}/book")
    page.locator("input[name=start]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("input[name=end]").fill((start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("form button.w-100[type=submit]").click()
    expect(page).to_have_url(f"{live_server}/bookings/" + page.url.rsplit("/", 1)[-1])
    _shot(page, f"4-booked-{lang}")
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == address))
        assert (user.organisation.slug, user.role) == ("sdu-qd", Role.RESEARCHER)

    visited = []
    page.on("request", lambda request: visited.append(request.url))
    open_user_menu(page)
    page.get_by_role("button", name=words["sign_out"]).click()
    page.wait_for_url(live_server + "/")  # through CAS's sign-out, which sends her back home
    assert any(url.startswith(idp.cas_url + "/logout?service=") for url in visited), visited
    expect(page.locator("#mainNav a[href='/login']")).to_be_visible()
    _shot(page, f"5-signed-out-{lang}")
    page.goto(live_server + "/profile")
    assert "/login" in page.url  # signed out of the platform
    page.goto(live_server + "/auth/sso/sdu-qd/login")
    expect(page.locator("#id_username")).to_be_visible()  # and of CAS: the password again
    context.close()
