"""Booking notifications arrive at a real local SMTP server, in the recipient's language."""

from __future__ import annotations

import time

import pytest

from sharing.extensions import db
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def test_pending_request_and_decision_mails(client, make, token_for, smtp):
    _controller, inbox = smtp
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_approval=True)
    researcher = make.user("researcher")
    researcher.locale = "en"
    db.session.commit()
    day = next_weekday()
    response = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
        headers=token_for(researcher),
    )
    assert response.status_code == 201
    [to_manager] = inbox.wait_for(1)
    assert to_manager["To"] == manager.email
    assert to_manager["From"] == "platform@bluevalley.example"
    assert "新的预约申请待审核" in to_manager["Subject"]  # the manager reads Chinese (default)
    assert instrument.name in to_manager.get_content()

    booking_id = response.json["id"]
    client.post(
        f"/api/v1/bookings/{booking_id}/reject",
        json={"reason": "Fully booked for maintenance"},
        headers=token_for(manager),
    )
    to_researcher = inbox.wait_for(2)[1]
    assert to_researcher["To"] == researcher.email
    assert "Booking declined" in to_researcher["Subject"]
    body = to_researcher.get_content()
    assert "Reason: Fully booked for maintenance" in body
    assert f"/bookings/{booking_id}" in body


def test_nothing_is_sent_when_the_request_fails(client, make, token_for, smtp):
    _controller, inbox = smtp
    instrument = weekday_instrument(make, requires_approval=True)
    day = next_weekday()
    response = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument.id,
            "start": at(day, 7),
            "end": at(day, 9),
        },  # before opening
        headers=token_for(make.user("researcher")),
    )
    assert response.status_code == 422
    time.sleep(0.3)
    assert inbox.messages == []


def test_downtime_cancellation_tells_the_booker_and_own_actions_are_silent(
    client, make, token_for, smtp
):
    _controller, inbox = smtp
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    researcher = make.user("researcher")
    day = next_weekday()
    booking = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
        headers=token_for(researcher),
    ).json
    client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=token_for(researcher))
    time.sleep(0.3)
    assert [m["Subject"] for m in inbox.messages] == []  # nobody is told of their own action
    rebooked = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
        headers=token_for(researcher),
    ).json
    downtime = client.post(
        f"/api/v1/instruments/{instrument.id}/downtimes",
        json={"start": at(day, 8), "end": at(day, 12), "reason": "Cooling failure"},
        headers=token_for(manager),
    ).json
    assert downtime["affected_bookings"] == [rebooked["id"]]
    [warning] = inbox.wait_for(1)
    assert warning["To"] == researcher.email
    assert "您的预约与维护时段冲突" in warning["Subject"]
    client.post(
        f"/api/v1/downtimes/{downtime['id']}/cancel-affected",
        json={"reason": "Cooling failure"},
        headers=token_for(manager),
    )
    mail = inbox.wait_for(2)[1]
    assert mail["To"] == researcher.email
    assert "预约已取消：仪器停机" in mail["Subject"]
    assert "原因：Cooling failure" in mail.get_content()
