"""Calendar feeds: what clients need, checked with icalendar and an independent parser (vobject)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from sharing.auth.services import calendar_token
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def check_rfc5545(body: bytes, name_part: str) -> Calendar:
    """The properties and syntax every client relies on, read by both parsers."""
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folded at character boundaries, never inside a UTF-8 sequence
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH" and "PRODID" in calendar
    assert name_part in str(calendar["X-WR-CALNAME"])
    assert "REFRESH-INTERVAL" in calendar and str(calendar["X-PUBLISHED-TTL"]) in (
        "PT15M",
        "0:15:00",
    )
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT15M" in body
    for event in calendar.walk("VEVENT"):
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"):
            assert key in event, key
        assert event["DTSTART"].dt.tzinfo is not None and event[
            "DTSTART"
        ].dt.utcoffset() == timedelta(0)
    parsed = vobject.readOne(body.decode("utf-8"))  # an independent parser accepts it whole
    assert parsed.name == "VCALENDAR"
    return calendar


@pytest.fixture
def scene(client, make, token_for, app):
    manager = make.user("manager")
    instrument = weekday_instrument(
        make, manager, requires_approval=True, location="蓝谷园区A2楼 101"
    )
    researcher = make.user("researcher", name="李娜", email="lina@example.org")
    day = next_weekday()
    booking = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument.id,
            "start": at(day, 9),
            "end": at(day, 11),
            "purpose": "海洋沉积物" * 20,
        },
        headers=token_for(researcher),
    ).json
    return {
        "manager": manager,
        "researcher": researcher,
        "instrument": instrument,
        "booking": booking,
        "feed": f"/calendar/feed/{calendar_token(researcher, app.config['SECRET_KEY'])}.ics",
        "manager_feed": f"/calendar/feed/{calendar_token(manager, app.config['SECRET_KEY'])}.ics",
        "as_manager": token_for(manager),
        "as_researcher": token_for(researcher),
        "day": day,
    }


def test_personal_feed_properties_and_status_changes(client, scene):
    first = client.get(scene["feed"])
    assert first.status_code == 200 and first.mimetype == "text/calendar"
    calendar = check_rfc5545(first.data, "")
    [event] = calendar.walk("VEVENT")
    assert event["STATUS"] == "TENTATIVE" and event["SEQUENCE"] == 0
    assert event["LOCATION"] == "蓝谷园区A2楼 101"
    assert str(event["URL"]).endswith(f"/bookings/{scene['booking']['id']}")
    uid = str(event["UID"])
    assert client.get(scene["feed"]).data == first.data  # stable between polls

    client.post(f"/api/v1/bookings/{scene['booking']['id']}/approve", headers=scene["as_manager"])
    [approved] = events(client.get(scene["feed"]).data)
    assert str(approved["UID"]) == uid and approved["STATUS"] == "CONFIRMED"
    assert approved["SEQUENCE"] > event["SEQUENCE"]

    client.post(f"/api/v1/bookings/{scene['booking']['id']}/cancel", headers=scene["as_researcher"])
    assert events(client.get(scene["feed"]).data) == []  # cancelled bookings leave the feed


def test_manager_feed_shows_who_booked_the_instrument(client, scene):
    [event] = events(client.get(scene["manager_feed"]).data)
    assert "李娜" in str(event["SUMMARY"])


def test_public_instrument_feed_has_no_personal_data(client, scene):
    client.post(
        f"/api/v1/instruments/{scene['instrument'].id}/downtimes",
        json={"start": at(scene["day"], 12), "end": at(scene["day"], 14), "reason": "泵维护"},
        headers=scene["as_manager"],
    )
    body = client.get(f"/calendar/instruments/{scene['instrument'].id}.ics").data
    check_rfc5545(body, scene["instrument"].name)
    text = body.decode("utf-8")
    for private in (
        "李娜",
        "lina@example.org",
        "海洋沉积物",
        scene["researcher"].name,
        scene["manager"].email,
    ):
        assert private not in text
    assert len(events(body)) == 2


def test_conditional_gets(client, scene):
    first = client.get(scene["feed"], headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in first.headers  # Outlook has failed on compressed feeds
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(scene["feed"], headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get(scene["feed"], headers={"If-Modified-Since": modified}).status_code == 304
    )  # Apple
    time.sleep(0.01)
    client.post(f"/api/v1/bookings/{scene['booking']['id']}/approve", headers=scene["as_manager"])
    changed = client.get(scene["feed"], headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get(scene["feed"], headers={"If-Modified-Since": modified}).status_code == 200
    http = "%a, %d %b %Y %H:%M:%S GMT"
    announced = datetime.strptime(changed.headers["Last-Modified"], http)
    assert announced >= datetime.strptime(modified, http)  # never backwards


def test_a_change_within_the_same_second_is_never_a_304(client, scene):
    before = client.get(scene["feed"]).headers["Last-Modified"]
    client.post(f"/api/v1/bookings/{scene['booking']['id']}/approve", headers=scene["as_manager"])
    after = client.get(scene["feed"])
    # Apple revalidates with If-Modified-Since alone: the old date must never get a 304.
    assert after.status_code == 200
    assert client.get(scene["feed"], headers={"If-Modified-Since": before}).status_code == 200


def test_rotated_token_is_404_at_once(client, scene):
    assert client.get(scene["feed"]).status_code == 200
    client.post("/api/v1/me/calendar-token", headers=scene["as_researcher"])
    assert client.get(scene["feed"]).status_code == 404
    assert client.get("/calendar/feed/forged-token.ics").status_code == 404
    new_url = client.get("/api/v1/me", headers=scene["as_researcher"]).json["calendar_feed_url"]
    assert client.get("/" + new_url.split("://", 1)[1].split("/", 1)[1]).status_code == 200


def test_single_booking_download(client, scene, login):
    booking_id = scene["booking"]["id"]
    assert client.get(f"/calendar/bookings/{booking_id}.ics").status_code == 302  # sign in first
    login(scene["researcher"])
    download = client.get(f"/calendar/bookings/{booking_id}.ics")
    assert "attachment" in download.headers["Content-Disposition"]
    check_rfc5545(download.data, "")
    client.post(f"/bookings/{booking_id}/cancel")
    [event] = events(client.get(f"/calendar/bookings/{booking_id}.ics").data)
    assert event["STATUS"] == "CANCELLED"
    client.post("/logout")
    login(scene["manager"])
    assert client.get(f"/calendar/bookings/{booking_id}.ics").status_code == 200


def test_someone_elses_booking_download_is_404(client, make, scene, login):
    login(make.user("researcher"))
    assert client.get(f"/calendar/bookings/{scene['booking']['id']}.ics").status_code == 404


def test_challenge_deadline_feed(client, make, token_for):
    owner = make.user("enterprise", make.org("enterprise"))
    deadline = (datetime.now(UTC) + timedelta(days=12)).replace(microsecond=0)
    body = {
        "title": "深海耐压封装",
        "field": "marine-equipment",
        "budget": "1.00",
        "deadline": deadline.isoformat(),
        "status": "open",
    }
    client.post("/api/v1/challenges", json=body, headers=token_for(owner))
    client.post(
        "/api/v1/challenges",
        json={**body, "title": "草稿", "status": "draft"},
        headers=token_for(owner),
    )
    feed = client.get("/calendar/challenges.ics")
    calendar = check_rfc5545(feed.data, "")
    [event] = calendar.walk("VEVENT")
    assert "深海耐压封装" in str(event["SUMMARY"]) and event["DTEND"].dt == deadline
    assert (
        client.get(
            "/calendar/challenges.ics", headers={"If-None-Match": feed.headers["ETag"]}
        ).status_code
        == 304
    )


def test_pages_show_subscribe_links(client, scene, login):
    page = client.get(f"/instruments/{scene['instrument'].id}").get_data(as_text=True)
    assert f"webcal://localhost/calendar/instruments/{scene['instrument'].id}.ics" in page
    assert "https://calendar.google.com/calendar/render?cid=webcal" in page
    assert "webcal://localhost/calendar/challenges.ics" in client.get("/challenges").get_data(
        as_text=True
    )
    login(scene["researcher"])
    assert "webcal://localhost/calendar/feed/" in client.get("/profile").get_data(as_text=True)
