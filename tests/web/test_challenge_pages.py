"""Board pages: posting, applying, awarding through forms; payloads stay inert on every page."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from sharing.challenges.models import Application, Challenge
from sharing.extensions import db
from tests.fixtures.xss import PAYLOADS, active_parts


def deadline_text(days=20):
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def people(make):
    company = make.org("enterprise")
    return {
        "owner": make.user("enterprise", company),
        "researcher": make.user("researcher", make.org("institute")),
    }


def post_challenge(client, title, description, publish="open"):
    return client.post(
        "/challenges/new",
        data={
            "title": title,
            "field": "new-materials",
            "budget": "300000",
            "deadline": deadline_text(),
            "description": description,
            "publish": publish,
        },
    )


def test_company_posts_researcher_applies_company_selects(client, login, people):
    login(people["owner"])
    response = post_challenge(client, "耐海水腐蚀涂层", "需要 **5 年** 防护")
    assert response.status_code == 302
    challenge = db.session.scalar(select(Challenge))
    client.post("/logout")
    login(people["researcher"])
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "<strong>5 年</strong>" in page
    client.post(
        f"/challenges/{challenge.id}/apply", data={"proposal": "石墨烯改性环氧", "quote": "280000"}
    )
    assert db.session.scalar(select(Application.proposal)) == "石墨烯改性环氧"
    client.post("/logout")
    login(people["owner"])
    owner_page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "石墨烯改性环氧" in owner_page
    application_id = db.session.scalar(select(Application.id))
    # The page asks first: selecting the lead cannot be undone.
    ask = client.get(f"/challenges/{challenge.id}/award/{application_id}")
    assert ask.status_code == 200
    asked = ask.get_data(as_text=True)
    assert "无法撤销" in asked and "石墨烯改性环氧" in asked
    db.session.refresh(challenge)
    assert challenge.status.value == "open"
    selected = client.post(
        f"/challenges/{challenge.id}/award/{application_id}", follow_redirects=True
    )
    db.session.refresh(challenge)
    assert challenge.status.value == "awarded"
    page = selected.get_data(as_text=True)
    assert "已选定" in page and "挂帅" in page
    # Nothing is left to do on the side: no empty card of actions.
    assert (
        "撤回" not in page and 'class="card-body d-flex flex-wrap gap-2">\n    </div>' not in page
    )
    client.post("/logout")
    login(people["researcher"])
    mine = client.get("/my/applications").get_data(as_text=True)
    assert "耐海水腐蚀涂层" in mine and "获选牵头" in mine


def test_drafts_are_404_to_others_and_board_filters(client, make, login, people):
    login(people["owner"])
    post_challenge(client, "草稿挑战", "x", publish="draft")
    draft = db.session.scalar(select(Challenge))
    assert client.get("/challenges/dashboard").get_data(as_text=True).count("草稿挑战") == 1
    client.post("/logout")
    assert client.get(f"/challenges/{draft.id}").status_code == 404
    assert "草稿挑战" not in client.get("/challenges").get_data(as_text=True)
    assert client.get("/challenges?status=nonsense&min_budget=abc&page=x").status_code == 200


def test_researchers_cannot_post_or_award(client, login, people):
    login(people["researcher"])
    assert client.get("/challenges/new").status_code == 403


def test_a_draft_is_published_from_its_page_and_the_messages_say_what_happened(
    client, login, people
):
    login(people["owner"])
    saved = post_challenge(client, "草稿待发布", "x", publish="draft")
    challenge = db.session.scalar(select(Challenge))
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "草稿已保存" in page and "仅本单位可见" in page
    assert f'action="/challenges/{challenge.id}/publish"' in page
    published = client.post(f"/challenges/{challenge.id}/publish", follow_redirects=True)
    db.session.refresh(challenge)
    assert challenge.status.value == "open" and challenge.published_at is not None
    text = published.get_data(as_text=True)
    assert "已发布" in text and f'action="/challenges/{challenge.id}/publish"' not in text
    # Publishing twice is refused with a message, not a second publication.
    again = client.post(f"/challenges/{challenge.id}/publish", follow_redirects=True)
    assert again.status_code == 200
    edited = client.post(
        f"/challenges/{challenge.id}/edit",
        data={
            "title": "草稿待发布",
            "field": "new-materials",
            "budget": "300000",
            "deadline": deadline_text(),
            "description": "y",
        },
        follow_redirects=True,
    )
    assert "修改已保存" in edited.get_data(as_text=True)
    client.post("/logout")
    login(people["researcher"])
    assert client.post(f"/challenges/{challenge.id}/publish").status_code == 302
    db.session.refresh(challenge)
    assert challenge.status.value == "open"


def test_preview_shows_the_description_and_saves_nothing(client, login, people):
    login(people["owner"])
    response = client.post(
        "/challenges/new",
        data={"title": "", "description": "**需求** 说明\n\n- 一\n- 二", "preview": "1"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<strong>需求</strong>" in page and "<li>一</li>" in page
    assert 'rows="14"' in page
    assert db.session.scalar(select(Challenge)) is None


def test_others_may_not_see_the_question_before_selecting(client, login, make, people):
    login(people["owner"])
    post_challenge(client, "只问所有者", "x")
    challenge = db.session.scalar(select(Challenge))
    client.post("/logout")
    login(people["researcher"])
    client.post(f"/challenges/{challenge.id}/apply", data={"proposal": "p", "quote": "1"})
    application_id = db.session.scalar(select(Application.id))
    assert client.get(f"/challenges/{challenge.id}/award/{application_id}").status_code == 403
    client.post("/logout")
    login(people["owner"])
    assert client.get(f"/challenges/{challenge.id}/award/999999").status_code == 404


def test_statistics_page(client, login, people):
    login(people["owner"])
    post_challenge(client, "统计用挑战", "x")
    page = client.get("/challenges/statistics").get_data(as_text=True)
    assert 'id="chart-field"' in page and "新材料" in page


def test_payloads_add_nothing_active_to_the_pages(client, make, login, people):
    login(people["owner"])
    post_challenge(client, "Benign title", "Benign description")
    benign = db.session.scalar(select(Challenge))
    for payload in PAYLOADS:
        post_challenge(client, payload[:200], payload)
    client.post("/logout")
    login(people["researcher"])
    challenges = db.session.scalars(select(Challenge).where(Challenge.id != benign.id)).all()
    for challenge, payload in zip(challenges, PAYLOADS, strict=True):
        client.post(
            f"/challenges/{challenge.id}/apply",
            data={"proposal": payload, "team": payload, "timeline": payload, "quote": "1"},
        )
    client.post(f"/challenges/{benign.id}/apply", data={"proposal": "ok", "quote": "1"})
    client.post("/logout")
    login(people["owner"])
    baseline = active_parts(client.get(f"/challenges/{benign.id}").get_data(as_text=True))
    for challenge in challenges:
        page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
        assert active_parts(page) == baseline, challenge.title
    board_baseline = active_parts(client.get("/challenges?q=Benign").get_data(as_text=True))
    assert (
        active_parts(client.get("/challenges?per_page=100").get_data(as_text=True))
        == board_baseline
    )
    for item in client.get("/api/v1/challenges?per_page=100").json["items"]:
        assert active_parts(item["description_html"]) == []


def test_board_filters_by_deadline_and_budget(client, login, people):
    login(people["owner"])
    post_challenge(client, "近期截止", "x")
    soon = (datetime.now(UTC) + timedelta(days=21)).date().isoformat()
    early = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    assert "近期截止" in client.get(f"/challenges?deadline_before={soon}").get_data(as_text=True)
    assert "近期截止" not in client.get(f"/challenges?deadline_before={early}").get_data(
        as_text=True
    )
    assert "近期截止" not in client.get("/challenges?min_budget=400000").get_data(as_text=True)
    assert "近期截止" in client.get("/challenges?max_budget=400000&deadline_before=bad").get_data(
        as_text=True
    )
