"""Pages of instruments that report their own use: the QR code and the check-in page it opens,
an instrument's agents, the managers' desk of real use, campus cards."""

from __future__ import annotations

import io
from datetime import timedelta

import segno
from sqlalchemy import func, select

from sharing.agents.models import AgentMode, InstrumentAgent
from sharing.agents.registry import resolve_agent_token
from sharing.agents.sessions import finish, start_session
from sharing.billing.models import Charge, SessionStatus, UsageSession
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.agents import yesterday
from tests.fixtures.bookings import SHANGHAI


def _now_slot():
    now = utcnow().astimezone(SHANGHAI)
    return now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)


def test_the_qr_code_encodes_the_check_in_page(client, agent_lab):
    answer = client.get(f"/instruments/{agent_lab.instrument.id}/qr.svg")
    assert answer.status_code == 200 and answer.mimetype == "image/svg+xml"
    expected = io.BytesIO()
    url = f"http://localhost/instruments/{agent_lab.instrument.id}/here"
    segno.make(url, error="m").save(
        expected, kind="svg", scale=8, border=2, title=agent_lab.instrument.name
    )
    assert answer.data == expected.getvalue()
    assert client.get("/instruments/999999/qr.svg").status_code == 404


def test_one_tap_checks_in_and_one_checks_out(client, agent_lab, login):
    booking = agent_lab.booking(_now_slot(), hours=1)
    path = f"/instruments/{agent_lab.instrument.id}/here"
    assert client.get(path).status_code == 302  # sign in first, then back here
    login(agent_lab.researcher)
    page = client.get(path).get_data(as_text=True)
    assert 'data-action="check_in"' in page and "签到" in page
    tapped = client.post(f"{path}/{booking.id}/check_in")
    assert tapped.status_code == 302 and tapped.headers["Location"].endswith(path)
    page = client.get(path).get_data(as_text=True)
    assert 'data-action="check_out"' in page and "已签到" in page
    client.post(f"{path}/{booking.id}/check_out")
    db.session.rollback()
    assert db.session.get(Booking, booking.id).status.value == "completed"
    assert db.session.scalar(select(func.count(Charge.id))) == 1
    assert 'id="no-current-booking"' in client.get(path).get_data(as_text=True)


def test_the_check_in_page_says_when_the_next_booking_opens(client, agent_lab, login):
    agent_lab.booking(_now_slot() + timedelta(hours=5), hours=1)
    login(agent_lab.researcher)
    page = client.get(f"/instruments/{agent_lab.instrument.id}/here").get_data(as_text=True)
    assert 'id="no-current-booking"' in page and "开放签到" in page


def test_a_manager_registers_an_agent_sees_its_token_once_and_revokes_it(
    client, agent_lab, login, make
):
    path = f"/instruments/{agent_lab.instrument.id}/agents"
    login(make.user("researcher"))
    assert client.get(path).status_code == 403
    client.post("/logout")
    login(agent_lab.manager)
    made = client.post(path, data={"name": "电镜工作站", "mode": "log"})
    assert made.status_code == 201
    agent = db.session.scalar(select(InstrumentAgent))
    text = made.get_data(as_text=True)
    assert 'id="new-token"' in text and agent.mode == AgentMode.LOG
    assert 'id="new-token"' not in client.get(path).get_data(as_text=True)
    client.post(f"/agents/{agent.id}/revoke")
    db.session.rollback()
    assert db.session.get(InstrumentAgent, agent.id).revoked_at is not None


def test_the_desk_settles_forgotten_check_outs_and_unbooked_use(client, agent_lab, login):
    forgotten = agent_lab.booking(yesterday(9))
    _log_agent, token = agent_lab.agent(mode=AgentMode.LOG)
    agent = resolve_agent_token(token)
    start_session(agent, agent_lab.card, yesterday(9, 5))  # checked in, never ended
    db.session.commit()
    other = agent_lab.instrument_of_the_lab(name="激光粒度仪")
    _other_agent, other_token = agent_lab.agent(other, mode=AgentMode.LOG)
    walk_in = start_session(resolve_agent_token(other_token), agent_lab.card, yesterday(14))
    finish(walk_in.session, yesterday(15))
    db.session.commit()
    login(agent_lab.manager)
    page = client.get("/usage").get_data(as_text=True)
    assert f'href="/bookings/{forgotten.id}"' in page and "仍在电脑上登录" in page
    assert f'id="session-{walk_in.session.id}"' in page
    client.post(f"/usage/bookings/{forgotten.id}/check-out", data={"at": "bad"})
    db.session.rollback()
    booking = db.session.get(Booking, forgotten.id)
    assert booking.status.value == "completed" and booking.used_end == yesterday(11)
    assert (
        db.session.scalar(
            select(UsageSession.status).where(UsageSession.booking_id == forgotten.id)
        )
        == SessionStatus.ENDED
    )
    client.post(f"/usage/sessions/{walk_in.session.id}/confirm", data={"note": "补预约"})
    db.session.rollback()
    assert db.session.get(UsageSession, walk_in.session.id).status == SessionStatus.CONFIRMED
    assert db.session.scalar(select(func.count(Charge.id))) == 2
    page = client.get("/usage").get_data(as_text=True)
    assert "没有人忘记签退" in page


def test_the_desk_is_for_managers(client, agent_lab, login):
    login(agent_lab.researcher)
    assert client.get("/usage").status_code == 403
    assert client.get("/cards").status_code == 403


def test_managers_give_their_people_cards(client, agent_lab, login, make):
    own_manager = make.user("manager", agent_lab.researcher.organisation)
    colleague = make.user("researcher", agent_lab.researcher.organisation, name="李同学")
    login(own_manager)
    page = client.get("/cards").get_data(as_text=True)
    assert "李同学" in page and agent_lab.card in page
    client.post(f"/cards/{colleague.id}", data={"card_number": "sdu20260077"})
    db.session.rollback()
    assert db.session.get(type(colleague), colleague.id).card_number == "SDU20260077"
    taken = client.post(
        f"/cards/{colleague.id}", data={"card_number": agent_lab.card}, follow_redirects=True
    )
    assert "属于另一个人" in taken.get_data(as_text=True)
    assert (
        client.post(f"/cards/{agent_lab.manager.id}", data={"card_number": "1234"}).status_code
        == 404
    )
