"""Needs (api.md "Needs, transfers and the alliance"): visits, needs through every stage with
their history, who may take each step, publishing as a challenge, and the 409s of lost races."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharing.util.formatting import local_today


@pytest.fixture
def people(make, token_for):
    operator = make.org("operator", slug="operator")
    company = make.org("enterprise", slug="haina-marine")
    other_company = make.org("enterprise", slug="other-co")
    institute = make.org("institute", slug="fio")
    university = make.org("university", slug="sdu")
    users = {
        "staff": make.user("researcher", operator),
        "admin": make.admin(),
        "company": make.user("enterprise", company),
        "other_company": make.user("enterprise", other_company),
        "researcher": make.user("researcher", institute),
        "manager": make.user("manager", university),
    }
    return {name: token_for(user) for name, user in users.items()} | {"users": users}


def _visit(client, people, company="haina-marine", day=None):
    day = day or local_today()
    response = client.post(
        "/api/v1/visits",
        json={"company": company, "date": day.isoformat(), "notes": "走访研发部"},
        headers=people["staff"],
    )
    assert response.status_code == 201, response.json
    return response.json


def _need(client, people, who="staff", **fields):
    body = {
        "title": "深海耐压壳体的轻量化与强度验证",
        "description": "需要对钛合金壳体做断口分析与压力舱试验",
        "field": "marine-equipment",
        "company": "haina-marine",
        **fields,
    }
    response = client.post("/api/v1/needs", json=body, headers=people[who])
    assert response.status_code == 201, response.json
    return response.json


def test_a_visit_is_logged_by_staff_and_listed_by_dates(client, people):
    visit = _visit(client, people)
    assert visit["company"] == "haina-marine"
    assert visit["date"] == local_today().isoformat()
    listed = client.get("/api/v1/visits", headers=people["staff"]).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == visit["id"]
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    earlier = client.get(f"/api/v1/visits?to={yesterday}", headers=people["staff"]).json
    assert earlier["total"] == 0


@pytest.mark.parametrize("who", ["company", "researcher", "manager", "other_company"])
def test_only_staff_log_and_read_visits(client, people, who):
    body = {"company": "haina-marine", "date": local_today().isoformat()}
    assert client.post("/api/v1/visits", json=body, headers=people[who]).status_code == 403
    assert client.get("/api/v1/visits", headers=people[who]).status_code == 403


def test_visit_dates_and_companies_are_checked(client, people):
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    future = client.post(
        "/api/v1/visits",
        json={"company": "haina-marine", "date": tomorrow},
        headers=people["staff"],
    )
    assert future.status_code == 400 and "date" in future.json["error"]["fields"]
    not_company = client.post(
        "/api/v1/visits",
        json={"company": "fio", "date": local_today().isoformat()},
        headers=people["staff"],
    )
    assert not_company.status_code == 400
    backwards = client.get("/api/v1/visits?from=2026-05-02&to=2026-05-01", headers=people["staff"])
    assert backwards.status_code == 400


def test_staff_write_needs_for_visited_companies_only(client, people):
    body = {"title": "t", "field": "other", "company": "haina-marine"}
    refused = client.post("/api/v1/needs", json=body, headers=people["staff"])
    assert refused.status_code == 422
    assert refused.json["error"]["violations"][0]["code"] == "not_visited"
    visit = _visit(client, people)
    need = _need(client, people)
    assert need["status"] == "collected"
    assert need["visit_id"] == visit["id"]
    assert need["company"] == "haina-marine"


def test_a_company_writes_its_own_needs_and_no_one_elses(client, people):
    own = _need(client, people, who="company")
    assert own["company"] == "haina-marine" and own["visit_id"] is None
    other = client.post(
        "/api/v1/needs",
        json={"title": "t", "field": "other", "company": "haina-marine"},
        headers=people["other_company"],
    )
    assert other.status_code == 403
    researcher = client.post(
        "/api/v1/needs", json={"title": "t", "field": "other"}, headers=people["researcher"]
    )
    assert researcher.status_code == 403


def test_the_whole_way_with_its_history(client, people):
    need = _need(client, people, who="company")
    path = f"/api/v1/needs/{need['id']}"
    claimed = client.post(f"{path}/claim", headers=people["researcher"])
    assert claimed.status_code == 200, claimed.json
    assert claimed.json["status"] == "claimed" and claimed.json["claimed_by"] == "fio"
    meeting = client.post(
        f"{path}/meetings",
        json={"date": local_today().isoformat(), "notes": "第一次对接：明确试验方案"},
        headers=people["company"],
    )
    assert meeting.status_code == 201, meeting.json
    assert meeting.json["status"] == "in_talks" and meeting.json["need_id"] == need["id"]
    assert client.get(path, headers=people["company"]).json["status"] == "in_talks"
    second = client.post(
        f"{path}/meetings", json={"date": local_today().isoformat()}, headers=people["researcher"]
    )
    assert second.status_code == 201
    contract = client.post(
        f"{path}/contract",
        json={"organisation": "fio", "amount": "380000.00", "signed_on": local_today().isoformat()},
        headers=people["researcher"],
    )
    assert contract.status_code == 200, contract.json
    body = client.get(path, headers=people["company"]).json
    assert body["status"] == "contracted"
    assert body["contract"] == {
        "organisation": "fio",
        "organisation_name": body["contract"]["organisation_name"],
        "amount": "380000.00",
        "signed_on": local_today().isoformat(),
    }
    assert len(body["meetings"]) == 2
    steps = [(e["action"], e["from_status"], e["to_status"]) for e in body["history"]]
    assert steps == [
        ("collect", None, "collected"),
        ("claim", "collected", "claimed"),
        ("meeting", "claimed", "in_talks"),
        ("meeting", "in_talks", "in_talks"),
        ("contract", "in_talks", "contracted"),
    ]
    again = client.post(f"{path}/close", json={"reason": "x"}, headers=people["company"])
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"


def test_a_claimed_need_cannot_be_claimed_again(client, people):
    need = _need(client, people, who="company")
    path = f"/api/v1/needs/{need['id']}/claim"
    assert client.post(path, headers=people["researcher"]).status_code == 200
    # Once claimed, the need is the company's and the claimant's: another institute no longer
    # sees it (404), and the claimant cannot claim it twice (409).
    second = client.post(path, headers=people["manager"])
    assert second.status_code == 404
    twice = client.post(path, headers=people["researcher"])
    assert twice.status_code == 409 and twice.json["error"]["code"] == "invalid_state"


@pytest.mark.parametrize("who", ["company", "other_company", "staff"])
def test_only_institutes_and_universities_claim(client, people, who):
    need = _need(client, people, who="company")
    response = client.post(f"/api/v1/needs/{need['id']}/claim", headers=people[who])
    assert response.status_code in (403, 404)
    assert response.status_code == (404 if who == "other_company" else 403)


def test_who_sees_a_need(client, people):
    need = _need(client, people, who="company")
    path = f"/api/v1/needs/{need['id']}"
    for who in ("company", "staff", "admin", "researcher", "manager"):
        assert client.get(path, headers=people[who]).status_code == 200, who
    assert client.get(path, headers=people["other_company"]).status_code == 404
    assert client.get(path).status_code == 401
    client.post(f"{path}/close", json={"reason": "企业自行解决"}, headers=people["company"])
    # A closed need is no longer offered to institutes that did not claim it.
    assert client.get(path, headers=people["researcher"]).status_code == 404
    listed = client.get("/api/v1/needs", headers=people["other_company"]).json
    assert listed["total"] == 0


def test_meetings_and_contracts_need_a_claim_and_a_party(client, people):
    need = _need(client, people, who="company")
    path = f"/api/v1/needs/{need['id']}"
    today = local_today().isoformat()
    early = client.post(f"{path}/meetings", json={"date": today}, headers=people["company"])
    assert early.status_code == 409
    client.post(f"{path}/claim", headers=people["researcher"])
    outsider = client.post(f"{path}/meetings", json={"date": today}, headers=people["manager"])
    assert outsider.status_code == 404  # another institute: the claimed need is not theirs
    contract = {"amount": "1.00", "signed_on": today}
    assert (
        client.post(f"{path}/contract", json=contract, headers=people["manager"]).status_code == 404
    )
    not_a_party = client.post(
        f"{path}/contract", json={**contract, "organisation": "other-co"}, headers=people["company"]
    )
    assert not_a_party.status_code == 422
    assert not_a_party.json["error"]["violations"][0]["code"] == "not_a_party"
    unknown = client.post(
        f"{path}/contract", json={**contract, "organisation": "nobody"}, headers=people["company"]
    )
    assert unknown.status_code == 400 and "organisation" in unknown.json["error"]["fields"]
    for amount in ("0.00", "1e3", 1000, "1000"):
        refused = client.post(
            f"{path}/contract", json={**contract, "amount": amount}, headers=people["company"]
        )
        assert refused.status_code == 400 and "amount" in refused.json["error"]["fields"], amount
    negative = client.post(
        f"{path}/contract", json={**contract, "amount": "-5.00"}, headers=people["company"]
    )
    assert negative.status_code == 400
    signed = client.post(f"{path}/contract", json=contract, headers=people["company"])
    assert signed.status_code == 200 and signed.json["contract"]["organisation"] == "fio"


def test_close_needs_a_reason_and_the_company_or_staff(client, people):
    need = _need(client, people, who="company")
    path = f"/api/v1/needs/{need['id']}/close"
    assert client.post(path, json={"reason": ""}, headers=people["company"]).status_code == 400
    assert client.post(path, json={"reason": "x"}, headers=people["researcher"]).status_code == 403
    closed = client.post(path, json={"reason": "预算取消"}, headers=people["staff"])
    assert closed.status_code == 200 and closed.json["closed_reason"] == "预算取消"


def test_publish_puts_the_need_on_the_board_linked_both_ways(client, people):
    need = _need(client, people, who="company")
    path = f"/api/v1/needs/{need['id']}"
    published = client.post(
        f"{path}/publish", json={"budget": "500000.00"}, headers=people["company"]
    )
    assert published.status_code == 201, published.json
    challenge = published.json
    assert challenge["status"] == "open" and challenge["organisation"] == "haina-marine"
    assert challenge["title"] == need["title"] and challenge["budget"] == "500000.00"
    assert challenge["need_id"] == need["id"]
    assert client.get(path, headers=people["company"]).json["challenge_id"] == challenge["id"]
    board = client.get(f"/api/v1/challenges/{challenge['id']}").json
    assert board["need_id"] == need["id"]
    again = client.post(f"{path}/publish", json={}, headers=people["company"])
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    refused = client.post(f"{path}/publish", json={}, headers=people["researcher"])
    assert refused.status_code == 403


def test_needs_are_filtered_by_stage_field_and_words(client, people):
    first = _need(client, people, who="company")
    _need(
        client, people, who="company", title="鲍鱼养殖水质在线监测", field="fisheries-aquaculture"
    )
    client.post(f"/api/v1/needs/{first['id']}/claim", headers=people["researcher"])
    headers = people["company"]
    assert client.get("/api/v1/needs", headers=headers).json["total"] == 2
    claimed = client.get("/api/v1/needs?status=claimed", headers=headers).json
    assert [n["id"] for n in claimed["items"]] == [first["id"]]
    fisheries = client.get("/api/v1/needs?field=fisheries-aquaculture", headers=headers).json
    assert [n["title"] for n in fisheries["items"]] == ["鲍鱼养殖水质在线监测"]
    words = client.get("/api/v1/needs?q=水质", headers=headers).json
    assert words["total"] == 1
    assert client.get("/api/v1/needs?status=nonsense", headers=headers).status_code == 400
    assert client.get("/api/v1/needs?company=nobody", headers=headers).status_code == 400


def test_suggestions_keep_their_fields_and_add_their_reasons(client, people, make):
    """api.md's fields (kind, id, name, score, why) stay; `reasons` lists why's parts."""
    make.instrument(
        org=people["users"]["researcher"].organisation,
        name="深海压力模拟试验舱",
        category="environmental-testing",
        specifications="钛合金耐压壳体 压力舱试验 110 MPa",
    )
    need = _need(client, people, who="company")
    found = client.get(f"/api/v1/needs/{need['id']}", headers=people["company"]).json
    suggestions = found["suggestions"]
    assert {s["kind"] for s in suggestions} == {"organisation", "instrument"}
    for suggestion in suggestions:
        assert set(suggestion) == {"kind", "id", "name", "score", "why", "reasons"}
        assert suggestion["why"] == "；".join(suggestion["reasons"])
        assert suggestion["reasons"][0].startswith("匹配：")
    fio = next(s for s in suggestions if s["kind"] == "organisation")
    assert "该单位有 1 台相关仪器" in fio["reasons"]
