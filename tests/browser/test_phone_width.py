"""Issue 37 on a phone: the main pages of each role, at 390 px in Chinese and English, never
wider than the screen (no sideways scroll), the home page not absurdly tall and the catalog's
first result on the first screen. Screenshots in test-artifacts/phone/.

Tables wider than a phone scroll inside their own box (`table-responsive`); what may not happen
is the page itself growing sideways, as the receivables (756 px), a manager's instrument page
(573 px) and the impact table (504 px) did."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.auth.models import User
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.loans.models import Loan
from tests.browser.conftest import ARTIFACTS
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LANGUAGES = {"zh": "zh-CN", "en": "en"}
SHOTS = ARTIFACTS / "phone"
# A phone's home page: the hero, the search, the newest instruments, the figures and a line
# for the alliance. It was 7,172 px while the alliance listed its ~200 badges.
HOME_MAX_HEIGHT = 4000


def width_and_culprits(page) -> tuple[int, list[str]]:
    """The page's scroll width and, when it is over the screen, what sticks out (elements not
    inside a box that scrolls or clips), for the message."""
    return page.evaluate(
        """(limit) => {
          const width = document.documentElement.scrollWidth;
          const out = [];
          if (width > limit) for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.right <= limit + 1 || box.width === 0) continue;
            // An absolutely placed element (a visually hidden label) is clipped only by the
            // boxes around its containing block, not by a scrolling box in between.
            const placed = getComputedStyle(el).position === 'absolute';
            let up = placed ? el.offsetParent : el.parentElement, clipped = false;
            for (; up; up = up.parentElement) {
              if (['auto', 'hidden', 'scroll', 'clip'].includes(getComputedStyle(up).overflowX)) {
                clipped = true; break;
              }
            }
            if (!clipped) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`
              + `#${el.id} right=${Math.round(box.right)}`);
          }
          return [width, out.slice(0, 8)];
        }""",
        PHONE["width"],
    )


def walk(page, live_server, role: str, paths: dict[str, str]) -> dict[str, int]:
    """Each page in each language at phone width; returns the widths seen, asserts at the end
    so that one run names every page that overflows."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    widths, wide = {}, []
    for name, path in paths.items():
        for language in ("zh", "en"):
            page.goto(f"{live_server}/lang/{language}?next={quote(path)}")
            expect(page.locator("html")).to_have_attribute("lang", LANGUAGES[language])
            page.wait_for_load_state("load")
            expect(page.locator("main, body").first).not_to_contain_text("Internal Server Error")
            width, culprits = width_and_culprits(page)
            widths[f"{name}-{language}"] = width
            if width > PHONE["width"]:
                wide.append(f"{path} ({language}) is {width} px wide: {culprits}")
            page.screenshot(path=str(SHOTS / f"{role}-{name}-{language}.png"), full_page=True)
    assert not wide, "\n".join(wide)
    return widths


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in_on(page, live_server, email: str) -> None:
    """Signs in at desktop width (where the user menu that proves it is not folded away)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, email)
    page.set_viewport_size(PHONE)


def first_instrument_of(live_server, email: str) -> int:
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return db.session.scalar(
            select(Instrument.id)
            .where(Instrument.organisation_id == user.organisation_id)
            .order_by(Instrument.id)
        )


def test_visitor_pages_fit_a_phone(phone, live_server):
    with live_server.app.app_context():
        instrument_id = db.session.scalar(select(Instrument.id).order_by(Instrument.id))
    walk(
        phone,
        live_server,
        "visitor",
        {
            "home": "/",
            "catalog": "/instruments",
            "instrument": f"/instruments/{instrument_id}",
            "organisations": "/organisations",
            "challenges": "/challenges",
            "login": "/login",
        },
    )


def test_researcher_pages_fit_a_phone(phone, live_server):
    email = "researcher@sdu.example"
    sign_in_on(phone, live_server, email)
    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        loan_id = db.session.scalar(
            select(Loan.id).where(Loan.borrower_id == user.id).order_by(Loan.id)
        )
    paths = {
        "start": "/start",
        "bookings": "/my/bookings",
        "notifications": "/notifications",
        "statements": "/statements",
        "loans": "/loans",
    }
    if loan_id:
        paths["loan"] = f"/loans/{loan_id}"
    walk(phone, live_server, "researcher", paths)


def test_company_pages_fit_a_phone(phone, live_server):
    sign_in_on(phone, live_server, "enterprise@biomed.example")
    walk(
        phone,
        live_server,
        "company",
        {"start": "/start", "orders": "/orders", "vouchers": "/vouchers", "needs": "/needs"},
    )


def test_manager_pages_fit_a_phone(phone, live_server):
    """The manager's instrument page: its header of five buttons folds into one menu."""
    email = "manager@qnlm.example"
    sign_in_on(phone, live_server, email)
    instrument_id = first_instrument_of(live_server, email)
    walk(
        phone,
        live_server,
        "manager",
        {
            "instrument": f"/instruments/{instrument_id}",
            "receivables": "/receivables",
            "queue": "/manage/queue",
            "calendar": "/manage/calendar",
            "loans": "/loans",
            "reports": "/reports",
        },
    )
    # The managers' links are one menu on a phone, and it opens on them.
    phone.goto(f"{live_server}/instruments/{instrument_id}")
    expect(phone.locator("#manage-buttons")).to_be_hidden()
    toggle = phone.locator("#manage-menu .dropdown-toggle")
    phone.wait_for_load_state("load")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    edit = phone.locator(f"#manage-menu a[href='/instruments/{instrument_id}/edit']")
    expect(edit).to_be_visible()
    # The header's badge, book button and menu stay on one line at 390 px.
    tops = {
        round(box["y"])
        for box in (
            phone.locator(selector).bounding_box()
            for selector in ("#instrument-actions .badge", "#book-button", "#manage-menu")
        )
    }
    assert max(tops) - min(tops) < 12, f"the header's buttons wrap: {tops}"


def test_admin_pages_fit_a_phone(phone, live_server):
    sign_in_on(phone, live_server, "admin@bluevalley.example")
    walk(
        phone,
        live_server,
        "admin",
        {
            "receivables": "/receivables?organisation=fio",
            "vouchers": "/vouchers",
            "reports": "/reports",
            "impact": "/impact",
            "users": "/users",
            "organisations": "/organisations",
        },
    )


def test_the_home_page_is_short_and_the_catalog_shows_a_result_on_the_first_screen(
    phone, live_server
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for language in ("zh", "en"):
        phone.goto(f"{live_server}/lang/{language}?next=/")
        phone.wait_for_load_state("load")
        height = phone.evaluate("document.documentElement.scrollHeight")
        assert height <= HOME_MAX_HEIGHT, f"the home page is {height} px tall on a phone"
        # The alliance is a count and a link, not its members' badges.
        members = phone.locator(".home-members a")
        expect(members).to_have_count(2)
        phone.goto(f"{live_server}/lang/{language}?next=/instruments")
        phone.wait_for_load_state("load")
        first = phone.locator("article.instrument-card").first
        expect(first).to_be_visible()
        box = first.bounding_box()
        assert box["y"] < PHONE["height"], (
            f"the catalog's first result starts at {box['y']:.0f} px, below the first screen"
        )
        # Its name at least, not only the card's top edge, is on the first screen.
        title = first.locator(".card-title").first.bounding_box()
        assert title["y"] + title["height"] <= PHONE["height"], title
        phone.screenshot(path=str(SHOTS / f"catalog-first-screen-{language}.png"))
