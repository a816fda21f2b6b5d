"""The reference agent (scripts/instrument_agent.py) against a real server (gunicorn, production
configuration, the test database), through a network outage: it keeps letting people in, queues
what happened, and once the platform answers again its queue drains; sent again from the start,
every event is answered from its first answer and nothing happens twice."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.servers import free_port
from sharing.billing.models import Charge, SessionStatus, UsageSession
from sharing.bookings.models import Booking, BookingEvent
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import SHANGHAI
from tests.ops.support import http

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "instrument_agent.py"


@pytest.fixture(scope="module")
def agent_script():
    spec = importlib.util.spec_from_file_location("instrument_agent", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _this_half_hour():
    now = utcnow().astimezone(SHANGHAI)
    return now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)


def _counts() -> tuple[int, int, int]:
    db.session.rollback()
    return (
        db.session.scalar(select(func.count(UsageSession.id))),
        db.session.scalar(select(func.count(Charge.id))),
        db.session.scalar(select(func.count(BookingEvent.id))),
    )


def test_the_agent_works_through_an_outage_and_sends_each_event_once(
    server, agent_lab, make, agent_script, tmp_path
):
    url, _inbox = server
    booking = agent_lab.booking(_this_half_hour(), hours=2)
    make.user("researcher", agent_lab.researcher.organisation, email="li@sdu.example")
    _agent, token = agent_lab.agent()
    platform = agent_script.Platform(url, token)
    agent = agent_script.Agent(platform, agent_script.Queue(str(tmp_path / "queue.sqlite3")))

    assert "欢迎" in agent.tap(agent_lab.card)
    db.session.rollback()
    assert db.session.get(Booking, booking.id).checked_in_at is not None

    platform.server = f"http://127.0.0.1:{free_port()}"  # the network is down
    assert agent.heartbeat() is False
    assert "已下机" in agent.tap(agent_lab.card.lower())  # the researcher leaves
    assert "离线" in agent.tap("li@sdu.example")  # a colleague without a booking is let in
    assert "已下机" in agent.tap("")
    assert len(agent.queue.pending()) == 3
    db.session.rollback()
    assert db.session.get(Booking, booking.id).status.value == "approved"  # nothing arrived

    platform.server = url  # back
    assert agent.heartbeat() is True
    assert agent.queue.pending() == []
    db.session.rollback()
    done = db.session.get(Booking, booking.id)
    assert done.status.value == "completed" and done.checked_out_at is not None
    sessions = db.session.scalars(select(UsageSession).order_by(UsageSession.id)).all()
    assert [s.status for s in sessions] == [SessionStatus.ENDED, SessionStatus.UNBOOKED]
    walk_in = sessions[1]
    assert walk_in.offline and walk_in.refusal == "no_booking" and walk_in.ended_at
    assert walk_in.ended_at - walk_in.started_at < timedelta(minutes=5)
    before = _counts()
    assert before[:2] == (2, 1)

    # Every answer lost on the way: the agent sends all of it again, and nothing happens twice.
    agent.queue.db.execute("UPDATE events SET sent_status = NULL")
    assert agent.drain() is True
    assert _counts() == before
    replies = [row["sent_status"] for row in agent.queue.db.execute("SELECT * FROM events")]
    assert replies == [201, 200, 201, 200]

    status, _headers, body = http(f"{url}/api/v1/instruments/{agent_lab.instrument.id}")
    assert status == 200 and json.loads(body)["agent"]["online"] is True


def test_the_agent_runs_from_its_command_line(server, agent_lab, tmp_path):
    url, _inbox = server
    agent_lab.booking(_this_half_hour(), hours=2)
    _agent, token = agent_lab.agent()
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--server", url, "--token", token, "--queue",
         str(tmp_path / "cli.sqlite3"), "--heartbeat", "3600"],
        input=f"{agent_lab.card}\n{agent_lab.card}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "欢迎 王研究员" in run.stdout and "已下机" in run.stdout
    assert _counts()[:2] == (1, 1)
