"""Achievements (api.md "Evidence for assessors"): added by users for their organisation with
the instruments they used, confirmed once by those instruments' managers, counted by year."""

from __future__ import annotations

import pytest

from sharing.assessment.achievements import counts_by_year
from sharing.assessment.models import AchievementKind


@pytest.fixture
def lab(make, token_for):
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(manager=manager)
    author = make.user("researcher")
    return {
        "instrument": instrument,
        "manager": token_for(manager),
        "author": token_for(author),
        "colleague": token_for(make.user("researcher", author.organisation)),
        "stranger": token_for(make.user("enterprise")),
        "author_org": author.organisation.slug,
    }


def paper(**changes):
    return {
        "kind": "paper",
        "title": "南黄海冷水团溶解氧的季节变化",
        "year": 2026,
        "reference": "10.1016/j.csr.2026.105123",
        **changes,
    }


def add(client, lab, body, who="author"):
    body.setdefault("instrument_ids", [lab["instrument"].id])
    return client.post("/api/v1/achievements", json=body, headers=lab[who])


def test_a_paper_is_added_then_confirmed_once_by_the_instruments_manager(client, lab):
    added = add(client, lab, paper())
    assert added.status_code == 201, added.json
    assert added.json["status"] == "claimed" and added.json["organisation"] == lab["author_org"]
    assert added.json["instrument_ids"] == [lab["instrument"].id]
    path = f"/api/v1/achievements/{added.json['id']}/confirm"
    assert client.post(path, headers=lab["author"]).status_code == 403
    assert client.post(path, headers=lab["stranger"]).status_code == 404
    confirmed = client.post(path, headers=lab["manager"])
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
    again = client.post(f"/api/v1/achievements/{added.json['id']}/reject", headers=lab["manager"])
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"


def test_the_same_reference_is_recorded_once_per_organisation(client, lab):
    assert add(client, lab, paper()).status_code == 201
    twice = add(client, lab, paper(title="另一个标题"), who="colleague")
    assert twice.status_code == 409 and twice.json["error"]["code"] == "duplicate"
    without_reference = [add(client, lab, paper(reference="")) for _ in range(2)]
    assert [response.status_code for response in without_reference] == [201, 201]


def test_only_confirmed_ones_are_public_and_the_list_filters(client, lab):
    claimed = add(client, lab, paper()).json
    other = add(client, lab, paper(reference="CN117000001A", kind="patent", invention=True))
    assert other.json["invention"] is True
    client.post(f"/api/v1/achievements/{other.json['id']}/confirm", headers=lab["manager"])
    public = client.get("/api/v1/achievements").json
    assert [item["id"] for item in public["items"]] == [other.json["id"]]
    own = client.get("/api/v1/achievements", headers=lab["colleague"]).json
    assert {item["id"] for item in own["items"]} == {claimed["id"], other.json["id"]}
    by_instrument = client.get(
        "/api/v1/achievements",
        query_string={"instrument": lab["instrument"].id, "year": 2026, "status": "claimed"},
        headers=lab["manager"],
    ).json
    assert [item["id"] for item in by_instrument["items"]] == [claimed["id"]]
    assert client.get("/api/v1/achievements", query_string={"year": 1900}).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        paper(kind="novel"),
        paper(year=1800),
        paper(year="2026"),
        paper(title=""),
        paper(instrument_ids=[]),
        paper(instrument_ids=[999999]),
    ],
)
def test_bad_achievements_are_refused_by_field(client, lab, body):
    refused = add(client, lab, body)
    assert refused.status_code == 400, refused.json
    assert refused.json["error"]["fields"]


def test_an_achievement_is_added_for_ones_own_organisation(client, lab, make):
    other = make.org("university")
    refused = add(client, lab, paper(organisation=other.slug))
    assert refused.status_code == 403


def test_counts_by_year_with_growth(client, lab, app):
    for year, count in ((2025, 2), (2026, 3)):
        for number in range(count):
            found = add(
                client,
                lab,
                paper(kind="patent", invention=True, year=year, reference=f"CN{year}{number}"),
            ).json
            client.post(f"/api/v1/achievements/{found['id']}/confirm", headers=lab["manager"])
    add(client, lab, paper(kind="patent", year=2026, reference="CN-utility"))  # not confirmed
    counts = counts_by_year(AchievementKind.PATENT, invention_only=True)
    assert [(c.year, c.count, c.growth) for c in counts] == [
        (2025, 2, None),
        (2026, 3, pytest.approx(0.5)),
    ]
