"""The notification centre: every mail to a user is also a notice; reading them."""

import pytest

from sharing.auth.recovery import request_password_reset
from sharing.core.mail import OUTBOX
from sharing.extensions import db
from sharing.notices.models import Notification
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


@pytest.fixture
def rejected(client, make, token_for):
    """A researcher's request that the manager rejected: one mail to each of them."""
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_approval=True)
    researcher = make.user("researcher")
    day = next_weekday()
    as_researcher, as_manager = token_for(researcher), token_for(manager)
    booking = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
        headers=as_researcher,
    ).json
    client.post(
        f"/api/v1/bookings/{booking['id']}/reject",
        json={"reason": "仪器检修"},
        headers=as_manager,
    )
    return {
        "booking": booking,
        "as_researcher": as_researcher,
        "as_manager": as_manager,
        "as_stranger": token_for(make.user("researcher")),
    }


def notices(client, headers, unread=False):
    response = client.get(
        "/api/v1/notifications", query_string={"unread": str(unread).lower()}, headers=headers
    )
    assert response.status_code == 200, response.json
    return response.json


def test_each_mail_is_a_notice_with_its_page(client, rejected):
    mine = notices(client, rejected["as_researcher"])
    assert mine["unread"] == 1
    [notice] = mine["items"]
    assert set(notice) == {"id", "kind", "text", "url", "created_at", "read_at"}
    assert notice["kind"] == "mail"
    assert notice["read_at"] is None
    assert notice["url"] == f"/bookings/{rejected['booking']['id']}"
    assert "测试仪器" in notice["text"]
    # The manager heard of the request, the researcher of the decision: one notice each.
    assert notices(client, rejected["as_manager"])["total"] == 1
    assert notices(client, rejected["as_stranger"])["total"] == 0


def test_reading_one_and_all(client, rejected):
    [notice] = notices(client, rejected["as_researcher"])["items"]
    path = f"/api/v1/notifications/{notice['id']}/read"
    first = client.post(path, headers=rejected["as_researcher"])
    assert first.status_code == 200
    assert first.json["read_at"] is not None
    again = client.post(path, headers=rejected["as_researcher"])
    assert again.json["read_at"] == first.json["read_at"]  # read once, when it was first read
    assert notices(client, rejected["as_researcher"], unread=True)["items"] == []
    assert notices(client, rejected["as_researcher"], unread=True)["unread"] == 0

    marked = client.post("/api/v1/notifications/read-all", headers=rejected["as_manager"])
    assert marked.json == {"marked": 1}
    assert notices(client, rejected["as_manager"])["unread"] == 0


def test_others_notices_are_not_found(client, rejected):
    [notice] = notices(client, rejected["as_researcher"])["items"]
    path = f"/api/v1/notifications/{notice['id']}/read"
    assert client.post(path, headers=rejected["as_manager"]).status_code == 404
    assert client.post(path).status_code == 401
    assert client.get("/api/v1/notifications").status_code == 401


def test_a_password_reset_link_stays_in_the_mailbox(app, make):
    user = make.user("researcher")
    with app.test_request_context():
        request_password_reset(user.email)
        [mail] = db.session.info[OUTBOX]
        assert "/password/reset/" in mail.body
        db.session.flush()
        assert db.session.query(Notification).filter_by(user_id=user.id).count() == 0
