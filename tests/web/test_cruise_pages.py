"""Cruise pages: the public schedule and its feed (read by three parsers), the cruise page with
the applications side by side for the chief scientist and managers (one's own for others), the
application form, allocation from the page, the costs view."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
import recurring_ical_events
import vobject

from tests.fixtures.world import World


@pytest.fixture
def world(client, make):
    return World(client, make)


def _form_token(html: str) -> str:
    marker = 'name="csrf_token" type="hidden" value="'
    if marker not in html:  # the tests' configuration may leave CSRF out
        return ""
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_the_schedule_and_its_calendar_are_public(world, client):
    target = world.open_cruise()
    page = client.get("/cruises")
    assert page.status_code == 200
    assert "黄海冬季综合航次" in page.text and f'data-cruise="{target["cruise"]}"' in page.text
    feed = client.get("/calendar/cruises.ics").data
    departs = date.fromisoformat(target["returns_on"]) - timedelta(days=11)
    [event] = [
        e
        for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")
        if str(e["uid"]) == f"cruise-{target['cruise']}@bluevalley-sharing"
    ]
    assert event["dtstart"].dt == departs
    parsed = vobject.readOne(feed.decode())
    names = [v.summary.value for v in parsed.vevent_list]
    assert "黄海冬季综合航次" in names
    on_day = recurring_ical_events.of(icalendar.Calendar.from_ical(feed)).at(departs)
    assert any(str(e["summary"]) == "黄海冬季综合航次" for e in on_day)


def test_the_chief_sees_every_application_and_the_capacity_left(world, client, login):
    target = world.applied_cruise()
    body = {**world.cruise_application_body(), "project": "海上风电基础冲刷"}
    world.call("enterprise", "POST", f"/cruises/{target['cruise']}/applications", body, 201)
    login(world.users["researcher"])  # the chief scientist
    page = client.get(f"/cruises/{target['cruise']}").text
    assert "黄海冷水团碳通量" in page and "海上风电基础冲刷" in page
    assert 'id="allocate"' in page
    client.post("/logout")
    login(world.users["enterprise"])
    page = client.get(f"/cruises/{target['cruise']}").text
    assert "海上风电基础冲刷" in page and "黄海冷水团碳通量" not in page
    assert 'id="allocate"' not in page


def test_apply_from_the_form_then_allocate_from_the_page(world, client, login):
    target = world.open_cruise()
    login(world.users["enterprise"])
    form = client.get(f"/cruises/{target['cruise']}/apply")
    assert form.status_code == 200
    sent = client.post(
        f"/cruises/{target['cruise']}/apply",
        data={
            "csrf_token": _form_token(form.text),
            "project": "海上风电基础冲刷",
            "berths": "3",
            "deck_m2": "8",
            "lab_m2": "0",
            "station_hours": "12",
            "equipment": "abc",
        },
    )
    assert "instrument numbers" in sent.text or "仪器编号" in sent.text
    sent = client.post(
        f"/cruises/{target['cruise']}/apply",
        data={
            "csrf_token": _form_token(form.text),
            "project": "海上风电基础冲刷",
            "berths": "3",
            "deck_m2": "8",
            "lab_m2": "0",
            "station_hours": "12",
        },
    )
    assert sent.status_code == 302
    client.post("/logout")
    login(world.users["manager"])
    page = client.get(f"/cruises/{target['cruise']}").text
    [application] = world.call("manager", "GET", f"/cruises/{target['cruise']}/applications").json[
        "items"
    ]
    done = client.post(
        f"/cruises/{target['cruise']}/allocate",
        data={
            "csrf_token": _form_token(page),
            f"place-{application['id']}": "1",
            f"berths-{application['id']}": "2",
        },
    )
    assert done.status_code == 302
    cruise = world.call("manager", "GET", f"/cruises/{target['cruise']}").json
    assert cruise["status"] == "allocated" and cruise["capacity_left"]["berths"] == 18
    costs = client.get(f"/cruises/{target['cruise']}/costs").text
    assert 'id="shares"' in costs and "1.0000" in costs
