"""Reports count real use: an agent's sessions where the instrument has them (a longer stay, a
log-off and log-on), unbooked use until it is dismissed; bookings without sessions as before."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sharing.agents.models import AgentMode
from sharing.agents.registry import resolve_agent_token
from sharing.agents.review import dismiss_unbooked
from sharing.agents.sessions import finish, start_session
from sharing.billing.reports import large_instrument_year, utilisation
from sharing.billing.services import record_usage
from sharing.extensions import db
from sharing.util.timeutil import Interval
from tests.fixtures.agents import yesterday


def _session(agent, who, start, end):
    started = start_session(agent, who, start).session
    finish(started, end)
    db.session.commit()
    return started


def _row(report, instrument):
    return next(row for row in report if row["instrument_id"] == instrument.id)


def test_used_hours_are_the_agents_sessions_and_unbooked_use(agent_lab, make):
    lab = agent_lab
    lab.instrument.original_value = Decimal("2300000.00")
    db.session.commit()
    _agent, token = lab.agent(mode=AgentMode.LOG)
    agent = resolve_agent_token(token)
    lab.booking(yesterday(9))  # 09:00-11:00, used 09:00-12:30 (stayed longer)
    _session(agent, lab.card, yesterday(9), yesterday(10))
    _session(agent, lab.card, yesterday(10, 30), yesterday(12, 30))  # logged on again
    _session(agent, lab.card, yesterday(14), yesterday(15))  # unbooked, waiting
    dismissed = _session(agent, lab.manager.email, yesterday(16), yesterday(18))
    dismiss_unbooked(lab.manager, dismissed, "自检")
    # A booking without any session: its recorded use counts, as before.
    plain = lab.booking(yesterday(19), hours=1)
    record_usage(lab.manager, plain, yesterday(19), yesterday(19, 30), None)
    db.session.commit()

    window = Interval(yesterday(0), yesterday(0) + timedelta(days=1))
    row = _row(utilisation(window), lab.instrument)
    # 09:00-10:00 + 10:30-12:30 + 14:00-15:00 + 19:00-19:30; the dismissed two hours do not count
    assert row["used_hours"] == Decimal("4.50")
    assert row["booked_hours"] == Decimal("3.00")
    year = yesterday(0).year
    yearly = _row(large_instrument_year(year), lab.instrument)
    assert yearly["effective_hours"] == Decimal("4.50")
    assert yearly["external_hours"] == Decimal("4.50")  # the researcher is of another university
