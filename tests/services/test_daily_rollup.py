"""The daily rollup (issue 36): the year-long reports read whole days from it, and it stays the
figures of the rows: after it is filled, after a usage edit, a cancellation, sessions ending
and being dismissed, a person changing organisation, and bookings written past the unit of
work."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from sharing.agents.models import AgentMode
from sharing.agents.registry import resolve_agent_token
from sharing.agents.review import dismiss_unbooked
from sharing.agents.sessions import finish, start_session
from sharing.assessment.yearly import year_window, yearly_report
from sharing.billing import daily, dailyread
from sharing.billing.daily import InstrumentDay, RollupMark
from sharing.billing.reports import large_instrument_year, utilisation
from sharing.billing.services import record_usage
from sharing.bookings.services import cancel_booking
from sharing.extensions import db
from sharing.util.timeutil import Interval, utcnow
from tests.fixtures.agents import yesterday

DAY = timedelta(days=1)


def _from_rows(call):
    """What `call` answers with no rollup at all: every figure from the rows."""
    nested = db.session.begin_nested()
    db.session.execute(delete(RollupMark))
    try:
        return call()
    finally:
        nested.rollback()


def _stored() -> dict:
    rows = db.session.scalars(select(InstrumentDay)).all()
    return {
        (row.instrument_id, row.day): {name: getattr(row, name) for name in daily.FIGURES}
        for row in rows
    }


def _session(agent, who, start, end):
    started = start_session(agent, who, start).session
    finish(started, end)
    db.session.commit()
    return started


@pytest.fixture
def history(agent_lab, make):
    """A week of varied use on two instruments: overlapping bookings, use past midnight,
    agents' sessions (longer stays, unbooked use), samples, people of two organisations."""
    lab = agent_lab
    lab.instrument.original_value = Decimal("2300000.00")
    second = lab.instrument_of_the_lab(name="质谱仪", original_value=Decimal("800000.00"))
    insider = make.user("researcher", lab.manager.organisation, email="li@fio.example")
    db.session.commit()
    _agent, token = lab.agent(mode=AgentMode.LOG)
    agent = resolve_agent_token(token)
    lab.booking(yesterday(9))  # used 09:00-12:30 by its sessions
    _session(agent, lab.card, yesterday(9), yesterday(10))
    _session(agent, lab.card, yesterday(10, 30), yesterday(12, 30))
    _session(agent, lab.card, yesterday(14), yesterday(15))  # unbooked, waiting
    lab.dismissable = _session(agent, lab.manager.email, yesterday(16), yesterday(18))
    bookings = {}
    for back in range(1, 6):
        start = yesterday(20) - back * DAY
        late = lab.booking(start, hours=6, instrument=second)  # 20:00 to 02:00 the next day
        record_usage(lab.manager, late, start, start + timedelta(hours=5), 3 + back)
        early = lab.booking(yesterday(8) - back * DAY, hours=3, instrument=second, user=insider)
        record_usage(lab.manager, early, early.start, early.end - timedelta(minutes=30), back)
        bookings[back] = (late, early)
    lab.waiting = lab.booking(yesterday(8) - 2 * DAY, hours=1)  # approved, never used
    db.session.commit()
    lab.bookings, lab.second, lab.insider = bookings, second, insider
    return lab


def _reports():
    first = yesterday(0) - 7 * DAY
    windows = [
        Interval(first, yesterday(0) + DAY),  # whole days, all rolled up
        Interval(first + timedelta(hours=10, minutes=30), yesterday(13)),  # partial ends
        Interval(first, yesterday(0) + 3 * DAY),  # today and after from the rows
        year_window(yesterday(0).year),  # whole months, the days around them
        Interval(yesterday(0) - 400 * DAY, yesterday(0) + DAY),
    ]
    year = yesterday(0).year
    return {
        "utilisation": [utilisation(window) for window in windows],
        "large": large_instrument_year(year),
        "yearly": [
            {key: value for key, value in row.items() if key != "rating"}
            for row in yearly_report(year)
        ],
    }


def _assert_exact():
    through = daily.marked_through()
    assert through == daily.yesterday()
    assert _stored() == daily.compute(through - 10 * DAY, through)
    assert _reports() == _from_rows(_reports)


def test_the_reports_from_the_rollup_are_the_reports_from_the_rows(history):
    before = _reports()
    assert daily.fill() > 0
    db.session.commit()
    assert _stored(), "the rollup holds the week"
    assert dailyread.split(Interval(yesterday(0) - 7 * DAY, yesterday(0) + DAY)).rest == ()
    assert _reports() == before
    _assert_exact()
    second = next(r for r in before["large"] if r["instrument_id"] == history.second.id)
    # five nights of five hours and five mornings of 2.5 h; the nights for another university
    assert second["effective_hours"] == Decimal("37.50")
    assert second["external_hours"] == Decimal("25.00")


def test_the_rollup_follows_edits_of_days_it_holds(history, make):
    daily.fill()
    db.session.commit()
    late, _early = history.bookings[3]
    record_usage(history.manager, late, late.start + timedelta(hours=1), late.end, 11)
    db.session.commit()
    _assert_exact()
    cancel_booking(history.manager, history.waiting, "仪器故障")
    db.session.commit()
    _assert_exact()
    dismiss_unbooked(history.manager, history.dismissable, "自检")
    db.session.commit()
    _assert_exact()
    history.insider.organisation_id = make.org("enterprise", slug="acme").id
    db.session.commit()
    _assert_exact()
    # a booking of days already rolled up, written by core statements
    history.booking(yesterday(22) - 4 * DAY, hours=1)
    _assert_exact()


def test_the_job_rolls_up_the_days_that_ended(history):
    assert daily.fill(daily.yesterday() - 3 * DAY) > 0
    db.session.commit()
    assert daily.fill_due(utcnow()) == 3
    db.session.commit()
    _assert_exact()
    assert daily.fill_due(utcnow()) == 0


def test_whole_months_and_the_days_around_them():
    cut = dailyread._in_months
    assert cut((date(2026, 1, 1), date(2026, 12, 31))) == (
        (date(2026, 1, 1), date(2026, 12, 1)),
        [],
    )
    assert cut((date(2025, 12, 8), date(2026, 12, 6))) == (
        (date(2026, 1, 1), date(2026, 11, 1)),
        [(date(2025, 12, 8), date(2025, 12, 31)), (date(2026, 12, 1), date(2026, 12, 6))],
    )
    assert cut((date(2026, 2, 3), date(2026, 2, 27))) == (
        None,
        [(date(2026, 2, 3), date(2026, 2, 27))],
    )
    assert cut((date(2026, 2, 1), date(2026, 2, 28))) == ((date(2026, 2, 1), date(2026, 2, 1)), [])


def test_the_people_of_an_ended_year_are_kept_as_counted_from_the_rows(history):
    from sharing.assessment import yearly, yearpeople

    year = yesterday(0).year
    window = yearly.year_window(year)
    ids = [history.instrument.id, history.second.id]
    counted = yearly._people(ids, window, year)
    assert counted[history.second.id] == (2, 2)  # the researcher and the insider
    # as when the mark passes the year's last day
    yearpeople.days_rolled_up(
        first=date(year, 1, 1), last=date(year, 12, 31), through=date(year, 12, 31)
    )
    assert yearpeople.people_of_year(ids, year) == counted
