"""Notifications carry their text and the url of what they are about (api.md, "Cost before
commitment"), also when written outside a request (jobs, the demo)."""

from sharing.core.mail import link_for
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


def test_a_pending_request_notifies_the_manager_with_text_and_link(client, make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_approval=True)
    day = next_weekday()
    asked = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
        headers=token_for(make.user("researcher")),
    )
    assert asked.status_code == 201
    notices = client.get("/api/v1/notifications", headers=token_for(manager)).json["items"]
    assert notices, "the manager hears of the request"
    notice = notices[0]
    assert notice["url"] == f"/bookings/{asked.json['id']}"
    assert instrument.name in notice["text"] and ": " in notice["text"]


def test_links_made_outside_a_request_are_paths(app):
    with app.app_context():
        assert link_for("bookings.detail", booking_id=7) == "/bookings/7"
