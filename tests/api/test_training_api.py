"""Training and qualifications through the API: ask, schedule, grant or decline, expiry."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.instruments.attached import QualifiedUser
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


@pytest.fixture
def setting(make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_training=True, qualification_months=6)
    researcher = make.user("researcher")
    return {
        "instrument": instrument,
        "manager": manager,
        "researcher": researcher,
        "as_manager": token_for(manager),
        "as_researcher": token_for(researcher),
        "as_stranger": token_for(make.user("researcher")),
        "day": next_weekday(),
    }


def status_of(client, setting, who="as_researcher"):
    path = f"/api/v1/instruments/{setting['instrument'].id}/qualification"
    response = client.get(path, headers=setting[who])
    assert response.status_code == 200, response.json
    return response.json


def ask(client, setting, note="想做 SEM 形貌", who="as_researcher"):
    path = f"/api/v1/instruments/{setting['instrument'].id}/training-requests"
    return client.post(path, json={"note": note}, headers=setting[who])


def act(client, setting, request_id, action, body=None, who="as_manager"):
    path = f"/api/v1/training-requests/{request_id}/{action}"
    return client.post(path, json=body or {}, headers=setting[who])


def book(client, setting, start_hour=9):
    body = {
        "instrument_id": setting["instrument"].id,
        "start": at(setting["day"], start_hour),
        "end": at(setting["day"], start_hour + 1),
    }
    return client.post("/api/v1/bookings", json=body, headers=setting["as_researcher"])


def test_from_asking_to_booking(client, setting):
    assert status_of(client, setting) == {"status": "none", "expires_at": None, "request_id": None}
    refused = book(client, setting)
    assert refused.status_code == 422
    assert [v["code"] for v in refused.json["error"]["violations"]] == ["not_qualified"]

    asked = ask(client, setting)
    assert asked.status_code == 201, asked.json
    request = asked.json
    assert request["status"] == "requested"
    assert request["user"] == {"id": setting["researcher"].id, "name": setting["researcher"].name}
    assert request["instrument_id"] == setting["instrument"].id
    assert set(request) >= {"id", "instrument_id", "user", "status", "created_at"}
    assert status_of(client, setting)["status"] == "requested"
    assert status_of(client, setting)["request_id"] == request["id"]

    session = {"start": at(setting["day"], 14), "end": at(setting["day"], 16)}
    scheduled = act(client, setting, request["id"], "schedule", session)
    assert scheduled.status_code == 200, scheduled.json
    assert scheduled.json["status"] == "scheduled"
    assert scheduled.json["session"]["start"] == session["start"]
    booking = db.session.get(Booking, scheduled.json["session"]["id"])
    assert booking.user_id == setting["researcher"].id
    assert booking.status.value == "approved"
    assert status_of(client, setting)["status"] == "scheduled"

    granted = act(client, setting, request["id"], "grant")
    assert granted.status_code == 200, granted.json
    assert granted.json["status"] == "granted"
    qualification = status_of(client, setting)
    assert qualification["status"] == "qualified"
    assert qualification["request_id"] is None
    assert book(client, setting, 9).status_code == 201


def test_the_default_expiry_is_the_instruments_qualification_months(client, setting):
    request = ask(client, setting).json
    assert act(client, setting, request["id"], "grant").status_code == 200
    grant = db.session.scalar(select(QualifiedUser))
    expected = utcnow() + timedelta(days=182)
    assert abs(grant.expires_at - expected) < timedelta(days=3)


def test_a_lapsed_qualification_is_refused_with_its_own_code(client, setting):
    request = ask(client, setting).json
    expires = (utcnow() + timedelta(days=1)).isoformat()
    assert act(client, setting, request["id"], "grant", {"expires_at": expires}).status_code == 200
    grant = db.session.scalar(select(QualifiedUser))
    grant.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert status_of(client, setting)["status"] == "expired"
    refused = book(client, setting)
    assert refused.status_code == 422
    assert [v["code"] for v in refused.json["error"]["violations"]] == ["qualification_expired"]
    # Renewed the same way.
    renewal = ask(client, setting, note="复训")
    assert renewal.status_code == 201
    assert act(client, setting, renewal.json["id"], "grant").status_code == 200
    assert book(client, setting).status_code == 201


def test_a_second_open_request_is_a_duplicate(client, setting):
    assert ask(client, setting).status_code == 201
    again = ask(client, setting)
    assert again.status_code == 409
    assert again.json["error"]["code"] == "duplicate"


def test_qualified_users_ask_again_only_near_expiry(client, setting):
    request = ask(client, setting).json
    far = (utcnow() + timedelta(days=300)).isoformat()
    act(client, setting, request["id"], "grant", {"expires_at": far})
    early = ask(client, setting)
    assert early.status_code == 409
    assert early.json["error"]["code"] == "duplicate"


def test_instruments_without_training_take_no_requests(client, make, setting, token_for):
    open_one = weekday_instrument(make, setting["manager"])
    response = client.post(
        f"/api/v1/instruments/{open_one.id}/training-requests",
        json={},
        headers=setting["as_researcher"],
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_state"
    status = client.get(
        f"/api/v1/instruments/{open_one.id}/qualification", headers=setting["as_researcher"]
    )
    assert status.json["status"] == "qualified"


def test_only_the_instruments_managers_decide(client, setting):
    request = ask(client, setting).json
    assert act(client, setting, request["id"], "grant", who="as_researcher").status_code == 403
    assert act(client, setting, request["id"], "grant", who="as_stranger").status_code == 404
    shown = client.get(f"/api/v1/training-requests/{request['id']}", headers=setting["as_stranger"])
    assert shown.status_code == 404
    anonymous = client.post(f"/api/v1/training-requests/{request['id']}/grant", json={})
    assert anonymous.status_code == 401


def test_decisions_are_final(client, setting):
    request = ask(client, setting).json
    no_reason = act(client, setting, request["id"], "decline", {"reason": ""})
    assert no_reason.status_code == 400
    declined = act(client, setting, request["id"], "decline", {"reason": "名额已满，下月再约"})
    assert declined.status_code == 200
    assert declined.json["reason"] == "名额已满，下月再约"
    for action in ("grant", "decline", "schedule"):
        body = {"reason": "x"} if action == "decline" else {}
        if action == "schedule":
            body = {"start": at(setting["day"], 9), "end": at(setting["day"], 10)}
        late = act(client, setting, request["id"], action, body)
        assert late.status_code == 409, (action, late.json)
        assert late.json["error"]["code"] == "invalid_state"
    assert status_of(client, setting)["status"] == "none"


def test_a_session_on_taken_time_is_a_conflict(client, setting):
    request = ask(client, setting).json
    other = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": setting["instrument"].id,
            "start": at(setting["day"], 14),
            "end": at(setting["day"], 15),
        },
        headers=setting["as_manager"],
    )
    assert other.status_code == 201
    session = {"start": at(setting["day"], 14), "end": at(setting["day"], 16)}
    clash = act(client, setting, request["id"], "schedule", session)
    assert clash.status_code == 409
    assert status_of(client, setting)["status"] == "requested"


def test_grants_must_expire_in_the_future(client, setting):
    request = ask(client, setting).json
    past = (utcnow() - timedelta(days=1)).isoformat()
    assert act(client, setting, request["id"], "grant", {"expires_at": past}).status_code == 400


def test_lists_show_managers_their_instruments_and_others_their_own(client, setting, make):
    mine = ask(client, setting).json
    listed = client.get("/api/v1/training-requests", headers=setting["as_manager"]).json
    assert [item["id"] for item in listed["items"]] == [mine["id"]]
    own = client.get("/api/v1/training-requests", headers=setting["as_researcher"]).json
    assert [item["id"] for item in own["items"]] == [mine["id"]]
    stranger = client.get("/api/v1/training-requests", headers=setting["as_stranger"]).json
    assert stranger["items"] == []
    granted = client.get(
        "/api/v1/training-requests?status=granted", headers=setting["as_manager"]
    ).json
    assert granted["total"] == 0
    bad = client.get("/api/v1/training-requests?status=maybe", headers=setting["as_manager"])
    assert bad.status_code == 400
