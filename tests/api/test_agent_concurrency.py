"""An agent's calls racing each other on PostgreSQL, through gunicorn (two workers, threads), each
request on its own connection: the end of a session sent five times at once checks out once and
writes one charge; five starts of the same person open one session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sharing.billing.models import Charge, UsageSession
from sharing.bookings.models import Booking, BookingEvent
from sharing.extensions import db
from tests.fixtures.agents import agent_headers, yesterday
from tests.fixtures.concurrency import Call, burst

pytestmark = pytest.mark.postgresql_only
TIMES = 5


def _count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_end_sent_five_times_at_once_checks_out_once(server, agent_lab):
    url, _inbox = server
    booking = agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    headers = agent_headers(token)
    [started] = burst(
        url,
        [
            Call(
                "POST",
                "/api/v1/agent/sessions",
                {"user": agent_lab.card, "at": yesterday(9).isoformat()},
                headers,
            )
        ],
    )
    assert started.status_code == 201, started.json
    session = started.json["session_id"]
    body = {"at": (yesterday(11) + timedelta(minutes=40)).isoformat()}
    path = f"/api/v1/agent/sessions/{session}/end"
    answers = burst(url, [Call("POST", path, body, headers) for _ in range(TIMES)])
    assert [a.status_code for a in answers] == [200] * TIMES
    assert {a.json["ended_at"] for a in answers} == {body["at"]}
    assert _count(Charge, Charge.booking_id == booking.id) == 1
    # One check-out: the booking went from approved to completed once in its history.
    assert _count(BookingEvent, BookingEvent.booking_id == booking.id) == 2
    assert db.session.get(Booking, booking.id).status.value == "completed"


def test_five_starts_of_one_person_at_once_open_one_session(server, agent_lab):
    url, _inbox = server
    booking = agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    body = {"user": agent_lab.card, "at": yesterday(9, 3).isoformat()}
    calls = [Call("POST", "/api/v1/agent/sessions", body, agent_headers(token))] * TIMES
    answers = burst(url, calls)
    assert sorted(a.status_code for a in answers) == [200] * (TIMES - 1) + [201]
    assert len({a.json["session_id"] for a in answers}) == 1
    assert _count(UsageSession) == 1
    assert db.session.get(Booking, booking.id).checked_in_at == yesterday(9, 3)
