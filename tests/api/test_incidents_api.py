"""Incidents (api.md "Evidence for assessors"): faults and safety issues by whoever used the
instrument, maintenance and calibration by its managers, resolved once, listed on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.fixtures.bookings import hour_ago, used_session


@pytest.fixture
def lab(make, token_for, client):
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(manager=manager, rules={"open_hours": []})
    user = make.user("researcher")
    manager_headers = token_for(manager)
    used_session(client, manager_headers, instrument, user, hour_ago())
    return {
        "instrument": instrument,
        "manager": manager_headers,
        "user": token_for(user),
        "stranger": token_for(make.user("researcher")),
        "other_manager": token_for(make.user("manager")),
    }


def report(client, lab, who, body):
    path = f"/api/v1/instruments/{lab['instrument'].id}/incidents"
    return client.post(path, json=body, headers=lab[who])


def test_a_user_reports_a_fault_and_a_manager_resolves_it_once(client, lab):
    fault = report(client, lab, "user", {"kind": "fault", "description": "  真空度上不去 "})
    assert fault.status_code == 201, fault.json
    assert (fault.json["status"], fault.json["description"]) == ("open", "真空度上不去")
    path = f"/api/v1/incidents/{fault.json['id']}/resolve"
    assert client.post(path, json={}, headers=lab["user"]).status_code == 403
    assert client.post(path, json={}, headers=lab["other_manager"]).status_code == 403
    fixed = client.post(path, json={"resolution": "更换分子泵"}, headers=lab["manager"])
    assert fixed.status_code == 200
    assert (fixed.json["status"], fixed.json["resolution"]) == ("resolved", "更换分子泵")
    again = client.post(path, json={}, headers=lab["manager"])
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"


def test_only_those_who_used_it_report_faults(client, lab):
    refused = report(client, lab, "stranger", {"kind": "safety", "description": "漏电"})
    assert refused.status_code == 403
    assert report(client, lab, "user", {"kind": "safety", "description": "漏电"}).status_code == 201


def test_upkeep_is_the_managers_log(client, lab):
    maintenance = {"kind": "maintenance", "description": "更换灯丝"}
    assert report(client, lab, "user", maintenance).status_code == 403
    logged = report(client, lab, "manager", maintenance)
    assert logged.status_code == 201 and logged.json["status"] == "resolved"
    due = (date.today() + timedelta(days=365)).isoformat()
    calibration = report(
        client,
        lab,
        "manager",
        {"kind": "calibration", "description": "计量院年检", "next_due_on": due},
    )
    assert calibration.status_code == 201 and calibration.json["next_due_on"] == due
    path = f"/api/v1/incidents/{calibration.json['id']}/resolve"
    assert client.post(path, json={}, headers=lab["manager"]).status_code == 409


def test_the_list_shows_open_faults_first(client, lab):
    report(client, lab, "manager", {"kind": "maintenance", "description": "保养"})
    report(client, lab, "user", {"kind": "fault", "description": "样品台卡滞"})
    listed = client.get(f"/api/v1/instruments/{lab['instrument'].id}/incidents").json["items"]
    assert [item["kind"] for item in listed] == ["fault", "maintenance"]
    assert listed[0]["reported_by"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "fire", "description": "x"},
        {"kind": "fault"},
        {"kind": "fault", "description": ""},
        {"description": "x"},
        {"kind": "calibration", "description": "x", "next_due_on": "2026-02-30"},
    ],
)
def test_bad_reports_are_refused_by_field(client, lab, body):
    refused = report(client, lab, "manager", body)
    assert refused.status_code == 400, refused.json
    assert refused.json["error"]["fields"]


def test_unknown_incidents_are_404(client, lab):
    response = client.post("/api/v1/incidents/999999/resolve", json={}, headers=lab["manager"])
    assert response.status_code == 404
