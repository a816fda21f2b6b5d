"""The waiting list through the API: in line for a taken range, offers, holds, acceptance."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.bookings.models import WaitlistEntry
from sharing.bookings.services import sweep_offers
from sharing.extensions import db
from sharing.notices.models import Notification
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


@pytest.fixture
def taken(client, make, token_for):
    """9:00-11:00 booked by a first researcher; two others want it."""
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, waitlist_hold_minutes=30)
    day = next_weekday()
    holder, second, third = (make.user("researcher") for _ in range(3))
    setting = {
        "instrument": instrument,
        "day": day,
        "as_holder": token_for(holder),
        "as_second": token_for(second),
        "as_third": token_for(third),
        "as_manager": token_for(manager),
        "second": second,
    }
    booking = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 11)},
        headers=setting["as_holder"],
    )
    assert booking.status_code == 201
    setting["booking"] = booking.json["id"]
    return setting


def join(client, taken, who, start=9, end=11):
    return client.post(
        f"/api/v1/instruments/{taken['instrument'].id}/waitlist",
        json={"start": at(taken["day"], start), "end": at(taken["day"], end)},
        headers=taken[who],
    )


def book(client, taken, who, start=9, end=11):
    return client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": taken["instrument"].id,
            "start": at(taken["day"], start),
            "end": at(taken["day"], end),
        },
        headers=taken[who],
    )


def cancel(client, taken):
    response = client.post(
        f"/api/v1/bookings/{taken['booking']}/cancel", json={}, headers=taken["as_holder"]
    )
    assert response.status_code == 200


def mine(client, taken, who):
    return client.get("/api/v1/waitlist", headers=taken[who]).json["items"]


def test_in_line_then_offered_held_and_booked(client, taken):
    first = join(client, taken, "as_second")
    assert first.status_code == 201, first.json
    assert first.json["status"] == "waiting"
    assert first.json["position"] == 1
    second = join(client, taken, "as_third", 10, 11)
    assert second.json["position"] == 2

    cancel(client, taken)
    [offer] = mine(client, taken, "as_second")
    assert offer["status"] == "offered"
    assert offer["offer_expires_at"] is not None
    assert mine(client, taken, "as_third")[0]["status"] == "waiting"
    # Held for the first in line alone.
    held = book(client, taken, "as_third", 10, 11)
    assert held.status_code == 409
    assert held.json["error"]["code"] == "conflict"
    notice = db.session.scalar(
        select(Notification).where(Notification.user_id == taken["second"].id)
    )
    assert notice.kind == "waitlist_offer"
    assert notice.url == "/my/waitlist"

    accepted = client.post(
        f"/api/v1/waitlist/{offer['id']}/accept", json={}, headers=taken["as_second"]
    )
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["start"] == at(taken["day"], 9)
    assert accepted.json["user_id"] == taken["second"].id
    assert mine(client, taken, "as_second")[0]["status"] == "accepted"
    again = client.post(
        f"/api/v1/waitlist/{offer['id']}/accept", json={}, headers=taken["as_second"]
    )
    assert again.status_code == 409


def test_a_lapsed_offer_passes_to_the_next_in_line(client, taken):
    join(client, taken, "as_second")
    join(client, taken, "as_third")
    cancel(client, taken)
    entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.status == "offered"))
    entry.offer_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert sweep_offers() == 1
    db.session.commit()
    assert mine(client, taken, "as_second")[0]["status"] == "expired"
    assert mine(client, taken, "as_third")[0]["status"] == "offered"
    late = client.post(f"/api/v1/waitlist/{entry.id}/accept", json={}, headers=taken["as_second"])
    assert late.status_code == 409


def test_leaving_with_an_offer_passes_it_on(client, taken):
    first = join(client, taken, "as_second").json
    join(client, taken, "as_third")
    cancel(client, taken)
    left = client.delete(f"/api/v1/waitlist/{first['id']}", headers=taken["as_second"])
    assert left.status_code == 204
    assert mine(client, taken, "as_third")[0]["status"] == "offered"
    gone = client.delete(f"/api/v1/waitlist/{first['id']}", headers=taken["as_second"])
    assert gone.status_code == 409


def test_a_free_range_a_duplicate_and_a_broken_rule_are_refused(client, taken):
    free = join(client, taken, "as_second", 14, 15)
    assert free.status_code == 409
    assert free.json["error"]["code"] == "invalid_state"
    assert join(client, taken, "as_second").status_code == 201
    duplicate = join(client, taken, "as_second", 10, 11)
    assert duplicate.status_code == 409
    assert duplicate.json["error"]["code"] == "duplicate"
    night = client.post(
        f"/api/v1/instruments/{taken['instrument'].id}/waitlist",
        json={"start": at(taken["day"], 22), "end": at(taken["day"], 23)},
        headers=taken["as_third"],
    )
    assert night.status_code == 422
    backwards = join(client, taken, "as_third", 11, 9)
    assert backwards.status_code == 400


def test_entries_are_private(client, taken):
    entry = join(client, taken, "as_second").json
    assert mine(client, taken, "as_third") == []
    stranger = client.delete(f"/api/v1/waitlist/{entry['id']}", headers=taken["as_third"])
    assert stranger.status_code == 404
    accept = client.post(
        f"/api/v1/waitlist/{entry['id']}/accept", json={}, headers=taken["as_third"]
    )
    assert accept.status_code == 404
    assert client.get("/api/v1/waitlist").status_code == 401


def test_a_rejected_request_frees_its_time(client, make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_approval=True)
    day = next_weekday()
    body = {"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)}
    pending = client.post("/api/v1/bookings", json=body, headers=token_for(make.user("researcher")))
    assert pending.json["status"] == "pending"
    waiting = token_for(make.user("researcher"))
    path = f"/api/v1/instruments/{instrument.id}/waitlist"
    wanted = {"start": body["start"], "end": body["end"]}
    assert client.post(path, json=wanted, headers=waiting).status_code == 201
    rejected = client.post(
        f"/api/v1/bookings/{pending.json['id']}/reject",
        json={"reason": "样品不符"},
        headers=token_for(manager),
    )
    assert rejected.status_code == 200
    assert client.get("/api/v1/waitlist", headers=waiting).json["items"][0]["status"] == "offered"


def test_a_lifted_downtime_frees_its_time(client, taken):
    downtime = client.post(
        f"/api/v1/instruments/{taken['instrument'].id}/downtimes",
        json={"start": at(taken["day"], 14), "end": at(taken["day"], 16), "reason": "维护"},
        headers=taken["as_manager"],
    )
    assert downtime.status_code == 201
    assert join(client, taken, "as_third", 14, 15).status_code == 201
    lifted = client.delete(f"/api/v1/downtimes/{downtime.json['id']}", headers=taken["as_manager"])
    assert lifted.status_code == 204
    assert mine(client, taken, "as_third")[0]["status"] == "offered"
