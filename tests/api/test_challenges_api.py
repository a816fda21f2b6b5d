"""The 揭榜挂帅 board through the API: lifecycle and every permission rule of api.md."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from sharing.challenges.models import Challenge
from sharing.extensions import db
from tests.conftest import count_queries
from tests.fixtures.challenges import challenge_body, in_days, proposal


@pytest.fixture
def board(make, token_for):
    company = make.org("enterprise", slug="bv-marine-eq")
    owner = make.user("enterprise", company)
    colleague = make.user("enterprise", company)
    institute = make.org("institute")
    researcher = make.user("researcher", institute)
    other = make.user("researcher", make.org("university"))
    return {
        "owner": token_for(owner),
        "colleague": token_for(colleague),
        "researcher": token_for(researcher),
        "other": token_for(other),
        "other_company": token_for(make.user("enterprise")),
        "admin": token_for(make.admin()),
        "researcher_user": researcher,
    }


def post(client, board, **changes):
    response = client.post(
        "/api/v1/challenges", json=challenge_body(**changes), headers=board["owner"]
    )
    assert response.status_code == 201, response.json
    return response.json


def test_lifecycle_from_post_to_completion(client, board):
    challenge = post(client, board)
    assert challenge["status"] == "open" and challenge["budget"] == "500000.00"
    assert "<strong>60 MPa</strong>" in challenge["description_html"]
    cid = challenge["id"]
    first = client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    )
    second = client.post(
        f"/api/v1/challenges/{cid}/applications",
        json=proposal(quote="380000.00"),
        headers=board["other"],
    )
    assert first.status_code == second.status_code == 201
    awarded = client.post(
        f"/api/v1/challenges/{cid}/award",
        json={"application_id": second.json["id"]},
        headers=board["owner"],
    )
    assert awarded.status_code == 200
    assert (
        awarded.json["status"] == "awarded"
        and awarded.json["awarded_application_id"] == second.json["id"]
    )
    mine = client.get(f"/api/v1/challenges/{cid}/applications", headers=board["researcher"]).json[
        "items"
    ]
    assert [a["status"] for a in mine] == ["not_selected"]
    done = client.post(
        f"/api/v1/challenges/{cid}/complete",
        json={"contract_amount": "395000.00"},
        headers=board["owner"],
    )
    assert done.json["status"] == "completed" and done.json["contract_amount"] == "395000.00"
    stats = client.get("/api/v1/challenges/stats").json
    assert (stats["posted"], stats["completed"], stats["contract_total"]) == (1, 1, "395000.00")
    assert stats["by_field"][0]["field"] == "marine-equipment"
    assert stats["by_organisation"][0]["organisation"] == "bv-marine-eq"


def test_reviewing_is_computed_from_the_deadline(client, board):
    cid = post(client, board)["id"]
    db.session.execute(update(Challenge).values(deadline=datetime.now(UTC) - timedelta(minutes=1)))
    db.session.commit()
    assert client.get(f"/api/v1/challenges/{cid}").json["status"] == "reviewing"
    late = client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    )
    assert late.status_code == 409 and late.json["error"]["code"] == "deadline_passed"
    edit = client.patch(f"/api/v1/challenges/{cid}", json={"title": "x"}, headers=board["owner"])
    assert edit.status_code == 409
    board_list = client.get("/api/v1/challenges?status=reviewing").json
    assert (
        board_list["total"] == 1 and client.get("/api/v1/challenges?status=open").json["total"] == 0
    )


def test_enterprises_and_the_owner_cannot_apply(client, board):
    cid = post(client, board)["id"]
    for who in ("owner", "colleague", "other_company"):
        response = client.post(
            f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board[who]
        )
        assert response.status_code == 403, who


def test_second_application_is_duplicate(client, board):
    cid = post(client, board)["id"]
    client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    )
    again = client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"


def test_proposals_are_confidential(client, board):
    cid = post(client, board)["id"]
    client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    )
    url = f"/api/v1/challenges/{cid}/applications"
    assert (
        client.get(url, headers=board["other"]).status_code == 403
    )  # a researcher reading another's
    assert client.get(url, headers=board["other_company"]).status_code == 403
    assert (
        len(client.get(url, headers=board["colleague"]).json["items"]) == 1
    )  # the owner's company
    assert len(client.get(url, headers=board["admin"]).json["items"]) == 1
    assert client.get(url).status_code == 401


def test_drafts_are_invisible_to_others(client, board):
    cid = post(client, board, status="draft")["id"]
    assert client.get(f"/api/v1/challenges/{cid}").status_code == 404
    assert client.get(f"/api/v1/challenges/{cid}", headers=board["researcher"]).status_code == 404
    assert client.get(f"/api/v1/challenges/{cid}", headers=board["colleague"]).status_code == 200
    assert client.get("/api/v1/challenges").json["total"] == 0
    assert client.get("/api/v1/challenges", headers=board["owner"]).json["total"] == 1
    published = client.patch(
        f"/api/v1/challenges/{cid}", json={"status": "open"}, headers=board["owner"]
    )
    assert published.json["status"] == "open"


def test_only_the_owner_awards_completes_and_edits(client, board):
    cid = post(client, board)["id"]
    application = client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    ).json
    for who in ("researcher", "other_company", "admin"):
        response = client.post(
            f"/api/v1/challenges/{cid}/award",
            json={"application_id": application["id"]},
            headers=board[who],
        )
        assert response.status_code == 403, who
        assert (
            client.patch(
                f"/api/v1/challenges/{cid}", json={"title": "hijack"}, headers=board[who]
            ).status_code
            == 403
        )
    wrong = client.post(
        f"/api/v1/challenges/{cid}/award", json={"application_id": 999}, headers=board["owner"]
    )
    assert wrong.status_code == 400
    early = client.post(
        f"/api/v1/challenges/{cid}/complete",
        json={"contract_amount": "1.00"},
        headers=board["owner"],
    )
    assert early.status_code == 409 and early.json["error"]["code"] == "invalid_state"


def test_researchers_cannot_post_and_bad_input_is_400(client, board):
    assert (
        client.post(
            "/api/v1/challenges", json=challenge_body(), headers=board["researcher"]
        ).status_code
        == 403
    )
    for change in (
        {"budget": 12.5},
        {"budget": 500000},
        {"budget": "500000"},
        {"budget": "5e5"},
        {"budget": "０.１０"},
        {"field": "astrology"},
        {"deadline": "soon"},
        {"title": ""},
        {"status": "awarded"},
    ):
        response = client.post(
            "/api/v1/challenges", json=challenge_body(**change), headers=board["owner"]
        )
        assert response.status_code == 400, change
    past = client.post(
        "/api/v1/challenges", json=challenge_body(deadline=in_days(-1)), headers=board["owner"]
    )
    assert past.status_code == 400 and "deadline" in past.json["error"]["fields"]


def test_withdraw_and_edit_application_until_deadline(client, board):
    cid = post(client, board)["id"]
    application = client.post(
        f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=board["researcher"]
    ).json
    edited = client.patch(
        f"/api/v1/applications/{application['id']}",
        json={"quote": "400000.00"},
        headers=board["researcher"],
    )
    assert edited.status_code == 200 and edited.json["quote"] == "400000.00"
    assert (
        client.patch(
            f"/api/v1/applications/{application['id']}",
            json={"quote": "1.00"},
            headers=board["other"],
        ).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/challenges/{cid}/withdraw", headers=board["researcher"]).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/challenges/{cid}/withdraw", headers=board["owner"]).json["status"]
        == "withdrawn"
    )
    again = client.post(f"/api/v1/challenges/{cid}/withdraw", headers=board["owner"])
    assert again.status_code == 409


def board_queries(client, expected_total: int) -> int:
    with count_queries() as statements:
        response = client.get("/challenges")
    assert response.status_code == 200
    return len(statements), response


def test_board_query_count_does_not_grow(client, make):
    company = make.org("enterprise")
    owner = make.user("enterprise", company)
    deadline = datetime.now(UTC) + timedelta(days=10)

    def add(count):
        db.session.add_all(
            Challenge(
                organisation=company,
                created_by=owner,
                title=f"挑战{n}",
                description="d",
                field="other",
                budget=1000,
                deadline=deadline,
                status="open",
            )
            for n in range(count)
        )
        db.session.commit()

    add(10)
    at_ten, _ = board_queries(client, 10)
    add(490)
    at_five_hundred, response = board_queries(client, 500)
    assert at_ten == at_five_hundred
    assert "500" in response.get_data(as_text=True)
    with count_queries() as statements:
        assert client.get("/api/v1/challenges?per_page=100").json["total"] == 500
    assert len(statements) <= 4
