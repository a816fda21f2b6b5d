"""Ratings (api.md "Evidence for assessors"): the customer scores completed work once; the
instrument shows the average and the count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.fixtures.bookings import hour_ago, used_session
from tests.fixtures.orders import step, submit, upload


@pytest.fixture
def session(make, token_for, client):
    """A completed two-hour session of a researcher, and one still to come."""
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(manager=manager, rules={"open_hours": []})
    researcher = make.user("researcher")
    lab = token_for(manager)
    start = hour_ago()
    done = used_session(client, lab, instrument, researcher, start, hours=2)
    later = {
        "instrument_id": instrument.id,
        "user_id": researcher.id,
        "start": (start + timedelta(days=3)).isoformat(),
        "end": (start + timedelta(days=3, hours=1)).isoformat(),
    }
    coming = client.post("/api/v1/bookings", json=later, headers=lab).json
    return {
        "instrument": instrument,
        "done": done,
        "coming": coming["id"],
        "researcher": token_for(researcher),
        "colleague": token_for(make.user("researcher", researcher.organisation)),
        "manager": lab,
    }


def rate(client, headers, booking_id, body):
    return client.post(f"/api/v1/bookings/{booking_id}/rating", json=body, headers=headers)


def test_the_user_rates_a_completed_session_once(client, session):
    rated = rate(client, session["researcher"], session["done"], {"score": 4, "comment": " 稳定 "})
    assert rated.status_code == 201, rated.json
    assert rated.json["score"] == 4 and rated.json["comment"] == "稳定"
    assert rated.json["booking_id"] == session["done"] and rated.json["order_id"] is None
    again = rate(client, session["researcher"], session["done"], {"score": 1})
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    shown = client.get(f"/api/v1/instruments/{session['instrument'].id}").json
    assert shown["rating"] == {"average": 4.0, "count": 1}


def test_a_session_not_yet_completed_cannot_be_rated(client, session):
    refused = rate(client, session["researcher"], session["coming"], {"score": 5})
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "invalid_state"


def test_only_the_user_of_the_session_rates_it(client, session):
    assert rate(client, session["manager"], session["done"], {"score": 5}).status_code == 403
    assert rate(client, session["colleague"], session["done"], {"score": 5}).status_code in {
        403,
        404,
    }
    assert rate(client, {}, session["done"], {"score": 5}).status_code == 401


@pytest.mark.parametrize(
    "body", [{"score": 0}, {"score": 6}, {"score": "5"}, {"score": 4.5}, {}, {"comment": "x"}]
)
def test_a_score_is_a_whole_number_from_one_to_five(client, session, body):
    refused = rate(client, session["researcher"], session["done"], body)
    assert refused.status_code == 400, refused.json
    assert "score" in refused.json["error"]["fields"]


def test_the_catalog_shows_average_and_count(client, session, make, token_for):
    rate(client, session["researcher"], session["done"], {"score": 5})
    listed = client.get("/api/v1/instruments").json["items"]
    mine = next(i for i in listed if i["id"] == session["instrument"].id)
    assert mine["rating"] == {"average": 5.0, "count": 1}
    unrated = [i for i in listed if i["id"] != session["instrument"].id]
    assert all(i["rating"] == {"average": None, "count": 0} for i in unrated)


def test_the_customer_rates_a_completed_order_once(client, shop):
    order = submit(client, shop).json["id"]
    early = client.post(f"/api/v1/orders/{order}/rating", json={"score": 5}, headers=shop["cust"])
    assert early.status_code == 409 and early.json["error"]["code"] == "invalid_state"
    step(client, shop, order, "quote", "lab")
    step(client, shop, order, "accept", "cust")
    step(client, shop, order, "receive", "lab", {"received_samples": 6})
    step(client, shop, order, "start", "lab")
    assert upload(client, shop, order).status_code == 201
    step(client, shop, order, "deliver", "lab")
    step(client, shop, order, "complete", "lab", {"measured_samples": 6})
    by_lab = client.post(f"/api/v1/orders/{order}/rating", json={"score": 5}, headers=shop["lab"])
    assert by_lab.status_code == 403
    rated = client.post(
        f"/api/v1/orders/{order}/rating", json={"score": 2, "comment": "慢"}, headers=shop["cust"]
    )
    assert rated.status_code == 201 and rated.json["order_id"] == order
    # Any member of the ordering organisation speaks for it: once for the organisation.
    again = client.post(
        f"/api/v1/orders/{order}/rating", json={"score": 5}, headers=shop["colleague"]
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    shown = client.get(f"/api/v1/instruments/{shop['instrument'].id}").json["rating"]
    assert shown == {"average": 2.0, "count": 1}
    assert Decimal(str(shown["average"])) == Decimal("2")
