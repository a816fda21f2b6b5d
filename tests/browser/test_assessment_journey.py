"""A researcher finishes a session, rates it and records a paper; the manager confirms the
paper; the yearly report counts both."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from sharing.assessment.models import Rating
from sharing.assessment.yearly import yearly_report
from sharing.auth.models import Role, User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import SHANGHAI
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser
TITLE = "胶州湾表层沉积物中稀土元素的来源解析"


def _unrated_session(app):
    """A completed session of the researcher this year, not rated yet, and its manager."""
    with app.app_context():
        researcher = db.session.scalar(select(User).where(User.email == "researcher@sdu.example"))
        year_start = utcnow().astimezone(SHANGHAI).replace(month=1, day=1, hour=0, minute=0)
        rated = select(Rating.booking_id).where(Rating.booking_id.is_not(None))
        booking = db.session.scalar(
            select(Booking)
            .join(Instrument, Instrument.id == Booking.instrument_id)
            .join(User, (User.organisation_id == Instrument.organisation_id))
            .where(
                Booking.user_id == researcher.id,
                Booking.status == BookingStatus.COMPLETED,
                Booking.used_start >= year_start,
                Booking.id.not_in(rated),
                User.role == Role.MANAGER,
            )
            .order_by(Booking.used_start.desc())
        )
        assert booking is not None
        manager = db.session.scalar(
            select(User.email).where(
                User.organisation_id == booking.instrument.organisation_id,
                User.role == Role.MANAGER,
            )
        )
        return booking.id, booking.instrument_id, booking.instrument.name, manager


def _figures(app, instrument_id: int, year: int) -> dict:
    with app.app_context():
        [row] = [r for r in yearly_report(year) if r["instrument_id"] == instrument_id]
        return row


def test_rate_record_confirm_and_count(page, live_server):
    booking_id, instrument_id, name, manager = _unrated_session(live_server.app)
    year = utcnow().astimezone(SHANGHAI).year
    before = _figures(live_server.app, instrument_id, year)

    sign_in(page, live_server, "researcher@sdu.example")
    page.goto(live_server + f"/bookings/{booking_id}")
    page.get_by_label("5", exact=True).check()
    page.get_by_label("评语", exact=False).fill("数据质量高，一次成功")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价", exact=False)).to_be_visible()
    page.get_by_role("link", name="登记", exact=True).click()
    expect(page.get_by_label("所用仪器")).to_have_values([str(instrument_id)])
    page.get_by_label("类型", exact=True).select_option("paper")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("编号", exact=False).fill("10.1016/j.marpolbul.2026.118888")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记", exact=False)).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, manager)
    page.goto(live_server + "/achievements?status=claimed")
    row = page.locator("tr", has_text=TITLE)
    row.get_by_role("button", name="确认", exact=True).click()
    expect(page.get_by_text("已确认", exact=False).first).to_be_visible()

    page.goto(live_server + f"/reports/assessment?year={year}")
    after = _figures(live_server.app, instrument_id, year)
    assert after["achievements"] == before["achievements"] + 1
    assert after["rating_count"] == before["rating_count"] + 1
    line = page.locator("tr", has=page.get_by_role("link", name=name, exact=True))
    cells = line.locator("td")
    expect(cells.nth(10)).to_have_text(str(after["achievements"]))
    expect(cells.nth(11)).to_have_text(re.compile(rf"\({after['rating_count']}\)"))
