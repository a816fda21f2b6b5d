"""axe-core (vendored) on every page, in Chinese and in English: no critical or serious violation.

Pages are visited as the person who would see them (anonymous, researcher, manager, company
user, admin); the test fails if a page route of the app is left out of PAGES.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sharing.auth.models import User
from sharing.auth.recovery import reset_token
from sharing.bookings.models import Booking
from sharing.challenges.models import Application, Challenge
from sharing.cruises.models import Cruise
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.instruments.models import Instrument
from sharing.loans.models import Loan
from sharing.needs.models import Expert, Need, NeedStatus
from sharing.orders.models import Order
from sharing.orgs.models import Organisation
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

SERIOUS = {"critical", "serious"}
MISSING_PAGE = "/no-such-page"
# Pages that answer with their refusal: a missing page, a campus sign-in return without a state.
EXPECTED_STATUS = {MISSING_PAGE: 404, "/auth/sso/sdu-qd/callback?state=none": 400}
# Not pages: feeds, downloads, the language switch and the health check.
NOT_PAGES = {
    "ical.booking_download",
    "ical.challenges_feed",
    "ical.personal_feed",
    "ical.instrument_feed",
    "ical.cruises_feed",
    "main.healthz",
    "metrics",  # Prometheus text behind a token
    "main.favicon",
    "main.set_language",
    "instruments.photo",
    "orders.download",
    "billing.statement_download",
    "billing.statement_workbook",
    "receivables.download",
    "outcomes.impact_xlsx",
    "outcomes.impact_csv",
    "vouchers.evidence_download",
    "agents.qr_code",
    "static",
    # Campus sign-in: redirects to the organisation's server and back (its pages: the problem
    # page is scanned through a return that proves nothing, below).
    "sso.login",
    "sso.signed_out",
}

# who -> endpoint -> path (filled from the demo data by `_paths`)
PAGES = {
    None: {
        "main.home": "/",
        "auth.login": "/login",
        "auth.signup": "/signup",
        "auth.forgot_password": "/password/forgot",
        "auth.reset_password": "/password/reset/{reset}",
        "instruments.catalog": "/instruments?q=质谱",
        "instruments.detail": "/instruments/{instrument}",
        "challenges.board": "/challenges",
        "challenges.detail": "/challenges/{challenge}",
        "challenges.statistics": "/challenges/statistics",
        "orgs.index": "/organisations",
        "orgs.detail": "/organisations/fio",
        "outcomes.impact_page": "/impact",
        "outcomes.transfer_list": "/transfers",
        "outcomes.expert_list": "/experts",
        "outcomes.expert_detail": "/experts/{expert}",
        "outcomes.members": "/alliance",
        "the error page": "/no-such-page",
        "sso.callback": "/auth/sso/sdu-qd/callback?state=none",
        "cruises.schedule": "/cruises",
    },
    "researcher@sdu.example": {
        "bookings.mine": "/my/bookings",
        "bookings.detail": "/bookings/{booking}",
        "bookings.book": "/instruments/{instrument}/book",
        "challenges.my_applications": "/my/applications",
        "auth.profile": "/profile",
        "auth.password": "/profile/password",
        "billing.statements": "/statements",
        "billing.statement": "/statements/sdu-qd/{month}",
        "notices.index": "/notifications",
        "main.start": "/start",
        "bookings.waitlist": "/my/waitlist",
        "instruments.detail": "/instruments/{instrument}",
        "assessment.achievements_list": "/achievements",
        "assessment.new_achievement": "/achievements/new",
        "agents.here": "/instruments/{instrument}/here",
        "cruises.detail": "/cruises/{cruise}",
        "cruises.costs": "/cruises/{cruise}/costs",
        "loans.new": "/loans/new",
        "loans.index": "/loans",
        "loans.detail": "/loans/{loan}",
        "loans.quote": "/loans/{loan}/quote",
        "loans.handover": "/loans/{loan}/items/{loan_item}/handover",
    },
    "manager@fio.example": {
        "bookings.queue": "/manage/queue",
        "bookings.manager_calendar": "/manage/calendar",
        "billing.suspensions": "/manage/suspensions",
        "instruments.new": "/instruments/new",
        "instruments.edit": "/instruments/{instrument}/edit",
        "downtimes.downtimes": "/instruments/{instrument}/downtimes",
        "downtimes.import_downtimes": "/instruments/{instrument}/downtimes/import",
        "instruments.qualified": "/instruments/{instrument}/qualified",
        "billing.dashboard": "/reports",
        "training.desk": "/manage/training",
        "orders.index": "/orders",
        "assessment.assessment": "/reports/assessment",
        "assessment.assessment_summary": "/reports/assessment/summary",
        "needs.desk": "/needs",
        "needs.detail": "/needs/{need}",
        "outcomes.transfer_list": "/transfers",
        "receivables.index": "/receivables",
        "agents.agents": "/instruments/{instrument}/agents",
        "agents.desk": "/usage",
        "cards.index": "/cards",
        "cruises.publish": "/cruises/new",
        "loans.overdue": "/loans/overdue",
    },
    "enterprise@biomed.example": {
        "challenges.new": "/challenges/new",
        "challenges.dashboard": "/challenges/dashboard",
        "challenges.edit": "/challenges/{own_challenge}/edit",
        "vouchers.programme": "/vouchers",
        "challenges.award": "/challenges/{applied_challenge}/award/{application}",
        "orders.new": "/instruments/{sample_instrument}/order",
        "orders.index": "/orders",
        "orders.detail": "/orders/{order}",
        "cruises.apply": "/cruises/{open_cruise}/apply",
    },
    "staff@bluevalley.example": {
        "needs.visits": "/visits",
        "needs.new": "/needs/new?company=jimo-auto",
        "needs.desk": "/needs?status=claimed",
        "needs.detail": "/needs/{need}",
    },
    "pi@sdu.example": {
        "funding.accounts": "/accounts",
        "funding.account": "/accounts/{account}",
    },
    "admin@bluevalley.example": {
        "sso_admin.sign_in_server": "/admin/organisations/sdu-qd/sign-in",
        "admin.organisations": "/admin/organisations",
        "admin.users": "/admin/users",
        "operations.outbox_page": "/admin/outbox?status=failed",
    },
}


def _paths(app) -> dict:
    """Ids of demo objects each viewer may see."""
    with app.app_context():
        fio = db.session.scalar(select(Organisation).where(Organisation.slug == "fio"))
        biomed = db.session.scalar(select(Organisation).where(Organisation.slug == "bv-biomed"))
        researcher = db.session.scalar(select(User).where(User.email == "researcher@sdu.example"))
        booking = db.session.scalar(
            select(Booking).where(Booking.user_id == researcher.id).order_by(Booking.start.desc())
        )
        instrument = db.session.scalar(
            select(Instrument).where(Instrument.organisation_id == fio.id).order_by(Instrument.id)
        )
        sample_instrument = db.session.scalar(
            select(Instrument).where(Instrument.accepts_samples.is_(True)).order_by(Instrument.id)
        )
        challenge = db.session.scalar(select(Challenge).order_by(Challenge.id))
        own_challenge = db.session.scalar(
            select(Challenge).where(Challenge.organisation_id == biomed.id)
        )
        order = db.session.scalar(select(Order).where(Order.customer_org_id == biomed.id))
        application = db.session.scalar(
            select(Application)
            .join(Application.challenge)
            .where(Challenge.organisation_id == biomed.id)
            .order_by(Application.id)
        )
        month = booking.start.strftime("%Y-%m")
        need = db.session.scalar(
            select(Need).where(Need.status == NeedStatus.COLLECTED).order_by(Need.id)
        )
        loan = db.session.scalar(
            select(Loan).where(Loan.borrower_id == researcher.id).order_by(Loan.id)
        )
        return {
            "loan": loan.id,
            "loan_item": loan.items[0].instrument_id,
            "cruise": db.session.scalar(select(Cruise.id).order_by(Cruise.id)),
            "open_cruise": db.session.scalar(
                select(Cruise.id).where(Cruise.status == "open").order_by(Cruise.id)
            ),
            "account": db.session.scalar(
                select(FundingAccount.id).where(FundingAccount.code == "NSFC-42176089")
            ),
            "need": need.id,
            "expert": db.session.scalar(select(Expert.id).order_by(Expert.id)),
            "instrument": instrument.id,
            "booking": booking.id,
            "sample_instrument": sample_instrument.id,
            "challenge": challenge.id,
            "own_challenge": own_challenge.id if own_challenge else challenge.id,
            "order": order.id,
            "applied_challenge": application.challenge_id,
            "application": application.id,
            "month": month,
            "reset": reset_token(researcher),
        }


def test_every_page_route_is_scanned(live_server):
    endpoints = {
        rule.endpoint
        for rule in live_server.app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.rule.startswith("/api/")
    }
    scanned = {endpoint for pages in PAGES.values() for endpoint in pages}
    assert endpoints - NOT_PAGES - scanned == set()


def _scan(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")  # same origin: CSP allows it
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag',"
        " values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},"
        # Only the violations are read: axe need not gather every node that passed.
        " resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_serious_accessibility_violation_on_any_page(browser, live_server, language):
    ids = _paths(live_server.app)
    problems = []
    for who, pages in PAGES.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(live_server + f"/lang/{language}")
        if who:
            _sign_in_in(page, live_server, who, language)
            # The account keeps the language its last session chose (another journey's): this
            # scan's language, chosen again once signed in.
            page.goto(live_server + f"/lang/{language}")
        for template in pages.values():
            path = template.format(**ids)
            response = page.goto(live_server + path)
            expected_status = EXPECTED_STATUS.get(path, 200)
            if response.status != expected_status:
                problems.append(f"{path} as {who}: HTTP {response.status}")
                continue
            expected_lang = "zh-CN" if language == "zh" else "en"
            assert page.locator("html").get_attribute("lang") == expected_lang, path
            problems.extend(f"{path} [{language}] {line}" for line in _scan(page))
        context.close()
    assert not problems, "\n".join(problems)


def _sign_in_in(page, live_server, email, language):
    if language == "zh":
        sign_in(page, live_server, email)
        return
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("BlueValley2026")
    page.get_by_role("button", name=re.compile("^Sign in$")).click()
    page.wait_for_url(re.compile(r".*/(?!login).*"))
