"""Instruments that report their own use (api.md): agents, their sessions, heartbeats, cards."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sharing.agents.models import AgentMode, InstrumentAgent
from sharing.billing.models import Charge, SessionStatus, UsageSession
from sharing.bookings.models import Booking, Downtime, Suspension
from sharing.extensions import db
from sharing.instruments.models import InstrumentStatus
from tests.fixtures.agents import agent_headers, yesterday


def start(client, token, user, at, **extra):
    body = {"user": user, "at": at.isoformat(), **extra}
    return client.post("/api/v1/agent/sessions", json=body, headers=agent_headers(token))


def end(client, token, session_id, at, headers=None):
    return client.post(
        f"/api/v1/agent/sessions/{session_id}/end",
        json={"at": at.isoformat()},
        headers={**agent_headers(token), **(headers or {})},
    )


def charges_of(booking_id) -> list[Charge]:
    db.session.rollback()
    return list(db.session.scalars(select(Charge).where(Charge.booking_id == booking_id)))


# -- registering and revoking -------------------------------------------------------------


def test_a_manager_registers_an_agent_and_sees_its_token_once(client, agent_lab, token_for):
    path = f"/api/v1/instruments/{agent_lab.instrument.id}/agents"
    made = client.post(
        path, json={"name": "电镜工作站", "mode": "log"}, headers=token_for(agent_lab.manager)
    )
    assert made.status_code == 201, made.json
    assert made.json["mode"] == "log" and made.json["name"] == "电镜工作站"
    token = made.json["token"]
    stored = db.session.get(InstrumentAgent, made.json["id"])
    assert stored.token_hash != token and token not in stored.token_hash
    listed = client.get(path, headers=token_for(agent_lab.manager)).json["items"]
    assert [a["id"] for a in listed] == [made.json["id"]]
    assert "token" not in listed[0] and listed[0]["online"] is False
    default = client.post(path, json={}, headers=token_for(agent_lab.manager))
    assert default.json["mode"] == "interlock"


def test_only_the_instruments_managers_register_agents(client, agent_lab, make, token_for):
    path = f"/api/v1/instruments/{agent_lab.instrument.id}/agents"
    stranger = make.user("manager", make.org("institute"))
    assert client.post(path, json={}, headers=token_for(stranger)).status_code == 403
    assert client.post(path, json={}, headers=token_for(agent_lab.researcher)).status_code == 403
    assert client.get(path, headers=token_for(stranger)).status_code == 403
    assert client.post(path, json={}).status_code == 401


def test_a_revoked_token_is_refused_at_once(client, agent_lab, token_for):
    agent, token = agent_lab.agent()
    assert client.post("/api/v1/agent/heartbeat", headers=agent_headers(token)).status_code == 204
    revoked = client.delete(f"/api/v1/agents/{agent.id}", headers=token_for(agent_lab.manager))
    assert revoked.status_code == 204
    for method, path in (("POST", "/agent/heartbeat"), ("GET", "/agent")):
        refused = client.open("/api/v1" + path, method=method, headers=agent_headers(token))
        assert refused.status_code == 401
        assert refused.json["error"]["code"] == "unauthorized"
    refused = start(client, token, agent_lab.card, yesterday(9))
    assert refused.status_code == 401
    again = client.delete(f"/api/v1/agents/{agent.id}", headers=token_for(agent_lab.manager))
    assert again.status_code == 404


def test_agent_and_bearer_tokens_each_open_only_their_own_routes(client, agent_lab, token_for):
    _agent, token = agent_lab.agent()
    assert client.get("/api/v1/me", headers=agent_headers(token)).status_code == 401
    assert client.get("/api/v1/bookings", headers=agent_headers(token)).status_code == 401
    bearer = token_for(agent_lab.manager)
    assert client.post("/api/v1/agent/heartbeat", headers=bearer).status_code == 401
    assert client.get("/api/v1/agent", headers=bearer).status_code == 401
    assert client.get("/api/v1/agent").status_code == 401
    assert client.get("/api/v1/agent", headers={"Authorization": "Agent nope"}).status_code == 401


# -- sessions --------------------------------------------------------------------------------


def test_an_agent_of_instrument_a_is_refused_on_b(client, agent_lab):
    other = agent_lab.instrument_of_the_lab(name="激光粒度仪")
    booking_on_b = agent_lab.booking(yesterday(9), instrument=other)
    _agent_a, token_a = agent_lab.agent()
    _agent_b, token_b = agent_lab.agent(other)
    # A acts on A only: the researcher's booking of B lets nobody in at A's PC.
    refused = start(client, token_a, agent_lab.card, yesterday(9, 5))
    assert refused.status_code == 403
    assert refused.json["error"] == {
        "code": "not_allowed",
        "reason": "no_booking",
        "message": refused.json["error"]["message"],
    }
    assert db.session.get(Booking, booking_on_b.id).checked_in_at is None
    on_b = start(client, token_b, agent_lab.card, yesterday(9, 5))
    assert on_b.status_code == 201
    # ... and cannot end, nor even find, B's session.
    assert end(client, token_a, on_b.json["session_id"], yesterday(10)).status_code == 404
    assert end(client, token_b, on_b.json["session_id"], yesterday(10)).status_code == 200


def test_a_current_booking_starts_a_session_and_checks_in(client, agent_lab, token_for):
    booking = agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    started = start(client, token, agent_lab.card, yesterday(8, 45))  # inside the 30-min window
    assert started.status_code == 201, started.json
    body = started.json
    assert body["allowed"] is True and body["booking_id"] == booking.id
    assert body["until"] == yesterday(11).isoformat()
    assert body["user_name"] == "王研究员" and body["status"] == "open"
    shown = client.get(f"/api/v1/bookings/{booking.id}", headers=token_for(agent_lab.researcher))
    assert shown.json["checked_in_at"] == yesterday(8, 45).isoformat()
    assert shown.json["checked_out_at"] is None


def test_the_e_mail_opens_the_session_as_the_card_does(client, agent_lab):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    assert start(client, token, "  Wang@SDU.example ", yesterday(9)).status_code == 201


def _training_refusal(lab):
    instrument = lab.instrument_of_the_lab(requires_training=True)
    lab.booking(yesterday(9), instrument=instrument)  # booked by the manager, who overrides
    return instrument


def _suspended(lab):
    lab.booking(yesterday(9))
    db.session.add(
        Suspension(user_id=lab.researcher.id, organisation_id=lab.manager.organisation_id)
    )
    db.session.commit()
    return lab.instrument


def _in_maintenance(lab):
    lab.booking(yesterday(9))
    lab.instrument.status = InstrumentStatus.MAINTENANCE
    db.session.commit()
    return lab.instrument


def _in_downtime(lab):
    lab.booking(yesterday(9))
    db.session.add(Downtime(instrument_id=lab.instrument.id, start=yesterday(9), end=yesterday(12)))
    db.session.commit()
    return lab.instrument


def _no_booking(lab):
    lab.booking(yesterday(14))  # later that day: not yet open for check-in at 09:00
    return lab.instrument


@pytest.mark.parametrize(
    "arrange, reason",
    [
        (_no_booking, "no_booking"),
        (_training_refusal, "not_qualified"),
        (_suspended, "suspended"),
        (_in_maintenance, "instrument_unavailable"),
        (_in_downtime, "instrument_unavailable"),
    ],
)
def test_a_refused_session_names_its_reason(client, agent_lab, arrange, reason):
    instrument = arrange(agent_lab)
    _agent, token = agent_lab.agent(instrument)
    refused = start(client, token, agent_lab.card, yesterday(9, 5))
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "not_allowed"
    assert refused.json["error"]["reason"] == reason
    assert db.session.scalar(select(func.count(UsageSession.id))) == 0


def test_an_unknown_card_has_no_booking(client, agent_lab):
    _agent, token = agent_lab.agent(mode=AgentMode.LOG)
    refused = start(client, token, "NOSUCHCARD", yesterday(9))
    assert refused.status_code == 403
    assert refused.json["error"]["reason"] == "no_booking"


def test_the_managers_may_always_use_their_instrument(client, agent_lab):
    agent_lab.instrument.status = InstrumentStatus.MAINTENANCE
    db.session.commit()
    _agent, token = agent_lab.agent()
    started = start(client, token, agent_lab.manager.email, yesterday(9))
    assert started.status_code == 201
    assert started.json["booking_id"] is None  # listed as unbooked use, to dismiss or bill


def test_end_checks_out_and_charges_the_greater_of_booked_and_used(client, agent_lab, token_for):
    booking = agent_lab.booking(yesterday(9))  # 09:00-11:00, academic rate 200.00
    _agent, token = agent_lab.agent()
    session = start(client, token, agent_lab.card, yesterday(9, 2)).json["session_id"]
    ended = end(client, token, session, yesterday(12, 10))  # stayed 70 minutes longer
    assert ended.status_code == 200
    assert ended.json["status"] == "ended"
    [charge] = charges_of(booking.id)
    assert charge.quantity == Decimal("3.5000")  # 3 h 8 min, rounded up to the half hour
    assert charge.amount == Decimal("700.00")
    shown = client.get(f"/api/v1/bookings/{booking.id}", headers=token_for(agent_lab.researcher))
    assert shown.json["status"] == "completed"
    assert shown.json["checked_out_at"] == yesterday(12, 10).isoformat()
    for _ in range(3):
        again = end(client, token, session, yesterday(12, 40))
        assert again.status_code == 200
        assert again.json["ended_at"] == yesterday(12, 10).isoformat()
    assert len(charges_of(booking.id)) == 1


def test_logging_off_and_on_within_the_booking_resumes_it(client, agent_lab):
    booking = agent_lab.booking(yesterday(9))  # 09:00-11:00
    _agent, token = agent_lab.agent()
    first = start(client, token, agent_lab.card, yesterday(9)).json["session_id"]
    end(client, token, first, yesterday(10))
    second = start(client, token, agent_lab.card, yesterday(10, 30))
    assert second.status_code == 201 and second.json["booking_id"] == booking.id
    end(client, token, second.json["session_id"], yesterday(12, 20))
    [charge] = charges_of(booking.id)
    assert charge.quantity == Decimal("3.5000")  # 09:00-12:20 rounded up
    assert db.session.get(Booking, booking.id).used_end == yesterday(12, 20)


def test_a_start_of_the_person_in_session_is_that_session(client, agent_lab):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    first = start(client, token, agent_lab.card, yesterday(9))
    again = start(client, token, agent_lab.card, yesterday(9, 1))
    assert again.status_code == 200
    assert again.json["session_id"] == first.json["session_id"]
    assert db.session.scalar(select(func.count(UsageSession.id))) == 1


def test_the_next_person_ends_the_session_before(client, agent_lab, make):
    colleague = make.user("researcher", agent_lab.researcher.organisation, email="li@sdu.example")
    booking = agent_lab.booking(yesterday(9), hours=1)
    agent_lab.booking(yesterday(10), hours=1, user=colleague)
    _agent, token = agent_lab.agent()
    first = start(client, token, agent_lab.card, yesterday(9)).json["session_id"]
    second = start(client, token, "li@sdu.example", yesterday(10))
    assert second.status_code == 201
    assert db.session.get(UsageSession, first).ended_at == yesterday(10)
    assert len(charges_of(booking.id)) == 1


def test_an_end_before_the_start_or_in_the_future_is_400(client, agent_lab):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    session = start(client, token, agent_lab.card, yesterday(9)).json["session_id"]
    early = end(client, token, session, yesterday(8))
    assert early.status_code == 400 and "at" in early.json["error"]["fields"]
    late = end(client, token, session, yesterday(9) + timedelta(days=3))
    assert late.status_code == 400 and "at" in late.json["error"]["fields"]


# -- logging agents and unbooked use ---------------------------------------------------------


def test_a_logger_records_unbooked_use_that_is_confirmed_and_billed(client, agent_lab, token_for):
    _agent, token = agent_lab.agent(mode=AgentMode.LOG)
    started = start(client, token, agent_lab.card, yesterday(15, 10))
    assert started.status_code == 201
    assert started.json["booking_id"] is None and started.json["allowed"] is True
    session = started.json["session_id"]
    assert end(client, token, session, yesterday(16, 35)).json["status"] == "unbooked"
    manager = token_for(agent_lab.manager)
    waiting = client.get("/api/v1/agent-sessions?status=unbooked", headers=manager).json
    assert [s["id"] for s in waiting["items"]] == [session]
    confirmed = client.post(
        f"/api/v1/agent-sessions/{session}/confirm", json={"note": "补录"}, headers=manager
    )
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json["status"] == "confirmed"
    assert confirmed.json["charge"]["quantity"] == "1.5"  # 85 minutes, rounded up
    assert confirmed.json["charge"]["amount"] == "300.00"
    booking = db.session.get(Booking, confirmed.json["booking_id"])
    assert (booking.start, booking.end) == (yesterday(15, 10), yesterday(16, 35))
    assert booking.status.value == "completed" and booking.user_id == agent_lab.researcher.id
    twice = client.post(f"/api/v1/agent-sessions/{session}/confirm", json={}, headers=manager)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "invalid_state"
    assert len(charges_of(booking.id)) == 1


def test_unbooked_use_may_be_dismissed(client, agent_lab, token_for, make):
    _agent, token = agent_lab.agent(mode=AgentMode.LOG)
    session = start(client, token, agent_lab.card, yesterday(15)).json["session_id"]
    manager = token_for(agent_lab.manager)
    still_open = client.post(f"/api/v1/agent-sessions/{session}/dismiss", json={}, headers=manager)
    assert still_open.status_code == 409  # end it first
    end(client, token, session, yesterday(15, 20))
    stranger = token_for(make.user("manager", make.org("institute")))
    path = f"/api/v1/agent-sessions/{session}/dismiss"
    assert client.post(path, json={}, headers=stranger).status_code == 404
    dismissed = client.post(path, json={"reason": "设备自检"}, headers=manager)
    assert dismissed.status_code == 200
    assert dismissed.json["status"] == "dismissed" and dismissed.json["review_note"] == "设备自检"
    assert db.session.scalar(select(func.count(Charge.id))) == 0


def test_unbooked_use_over_someone_elses_booking_is_a_conflict(client, agent_lab, token_for, make):
    colleague = make.user("researcher", agent_lab.researcher.organisation)
    agent_lab.booking(yesterday(15), hours=1, user=colleague)
    _agent, token = agent_lab.agent(mode=AgentMode.LOG)
    session = start(client, token, agent_lab.card, yesterday(15, 10)).json["session_id"]
    end(client, token, session, yesterday(15, 50))
    path = f"/api/v1/agent-sessions/{session}/confirm"
    refused = client.post(path, json={}, headers=token_for(agent_lab.manager))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "conflict"
    assert db.session.get(UsageSession, session).status == SessionStatus.UNBOOKED


def test_an_interlock_records_what_happened_while_it_was_offline(client, agent_lab):
    _agent, token = agent_lab.agent()
    recorded = start(client, token, agent_lab.card, yesterday(20), offline=True)
    assert recorded.status_code == 201
    assert recorded.json["allowed"] is False and recorded.json["refusal"] == "no_booking"
    assert recorded.json["offline"] is True and recorded.json["booking_id"] is None
    unknown = start(client, token, "NOBODY42", yesterday(21), offline=True)
    assert unknown.status_code == 403  # nobody to record it for


def test_a_repeat_with_its_idempotency_key_is_a_replay(client, agent_lab):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    headers = {**agent_headers(token), "Idempotency-Key": "event-0001"}
    body = {"user": agent_lab.card, "at": yesterday(9).isoformat()}
    first = client.post("/api/v1/agent/sessions", json=body, headers=headers)
    second = client.post("/api/v1/agent/sessions", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json == first.json
    other = {**body, "at": yesterday(9, 1).isoformat()}
    mismatch = client.post("/api/v1/agent/sessions", json=other, headers=headers)
    assert mismatch.status_code == 409 and mismatch.json["error"]["code"] == "idempotency_mismatch"


# -- heartbeats ------------------------------------------------------------------------------


def test_heartbeats_show_the_agent_online_in_the_instrument_json(client, agent_lab):
    path = f"/api/v1/instruments/{agent_lab.instrument.id}"
    assert client.get(path).json["agent"] is None
    _agent, token = agent_lab.agent()
    assert client.get(path).json["agent"] == {
        "online": False,
        "last_seen_at": None,
        "mode": "interlock",
    }
    assert client.post("/api/v1/agent/heartbeat", headers=agent_headers(token)).status_code == 204
    shown = client.get(path).json["agent"]
    assert shown["online"] is True and shown["last_seen_at"] is not None
    me = client.get("/api/v1/agent", headers=agent_headers(token)).json
    assert me["instrument"]["id"] == agent_lab.instrument.id and me["open_session"] is None


def test_an_agent_is_offline_after_five_minutes_of_silence(agent_lab):
    from sharing.agents.registry import agent_statuses, mark_seen

    agent, _token = agent_lab.agent()
    heard = yesterday(9)
    mark_seen(agent, heard, always=True)
    db.session.commit()
    ids = [agent_lab.instrument.id]
    assert agent_statuses(ids, heard + timedelta(minutes=4, seconds=59))[ids[0]].online
    assert not agent_statuses(ids, heard + timedelta(minutes=5))[ids[0]].online
    assert agent_statuses(ids, heard + timedelta(minutes=5))[ids[0]].last_seen_at == heard


# -- cards -----------------------------------------------------------------------------------


def test_cards_are_set_by_the_persons_managers_and_admins(client, agent_lab, make, token_for):
    person = agent_lab.researcher
    own_manager = make.user("manager", person.organisation)
    path = f"/api/v1/users/{person.id}"
    changed = client.patch(path, json={"card_number": "04a1b2c3"}, headers=token_for(own_manager))
    assert changed.status_code == 200
    assert changed.json["card_number"] == "04A1B2C3"
    assert client.get("/api/v1/me", headers=token_for(person)).json["card_number"] == "04A1B2C3"
    other = client.patch(path, json={"card_number": "1234"}, headers=token_for(agent_lab.manager))
    assert other.status_code == 403
    itself = client.patch(path, json={"card_number": "1234"}, headers=token_for(person))
    assert itself.status_code == 403
    colleague = make.user("researcher", person.organisation)
    taken = client.patch(
        f"/api/v1/users/{colleague.id}",
        json={"card_number": "04A1B2C3"},
        headers=token_for(own_manager),
    )
    assert taken.status_code == 409 and taken.json["error"]["code"] == "duplicate"
    cleared = client.patch(path, json={"card_number": None}, headers=token_for(make.admin()))
    assert cleared.status_code == 200 and cleared.json["card_number"] is None
    assert client.patch("/api/v1/users/999999", json={"card_number": None}).status_code == 401


def test_a_card_number_finds_its_holder_whatever_the_case(client, agent_lab):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    started = start(client, token, agent_lab.card.lower(), yesterday(9))
    assert started.status_code == 201
    assert started.json["user_id"] == agent_lab.researcher.id


def test_sessions_are_listed_for_the_instruments_managers_alone(client, agent_lab, make, token_for):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    session = start(client, token, agent_lab.card, yesterday(9)).json["session_id"]
    mine = client.get("/api/v1/agent-sessions", headers=token_for(agent_lab.manager)).json
    assert [s["id"] for s in mine["items"]] == [session] and mine["total"] == 1
    assert mine["items"][0]["status"] == "open"
    for outsider in (make.user("manager", make.org("institute")), agent_lab.researcher):
        listed = client.get("/api/v1/agent-sessions", headers=token_for(outsider)).json
        assert listed["items"] == [] and listed["total"] == 0
    bad = client.get("/api/v1/agent-sessions?status=lost", headers=token_for(agent_lab.manager))
    assert bad.status_code == 400 and "status" in bad.json["error"]["fields"]
