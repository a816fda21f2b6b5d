"""Accounts endpoints: tokens, /me, calendar token, organisations, categories."""

from datetime import timedelta

from sqlalchemy import select, update

from sharing.auth.models import ApiToken
from sharing.extensions import db
from sharing.util.timeutil import utcnow


def test_token_lifecycle(client, make):
    user = make.user("researcher")
    created = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": make.PASSWORD}
    )
    assert created.status_code == 201
    token = created.json["token"]
    assert created.json["user"]["email"] == user.email
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json["id"] == user.id
    # Only a hash is stored.
    stored = db.session.scalar(select(ApiToken.token_hash))
    assert token not in stored and len(stored) == 64
    assert client.delete("/api/v1/auth/tokens/current", headers=headers).status_code == 204
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "unauthorized"


def test_wrong_credentials(client, make):
    user = make.user()
    for body in (
        {"email": user.email, "password": "wrong-pass-1"},
        {"email": "nobody@x.org", "password": "x"},
    ):
        response = client.post("/api/v1/auth/tokens", json=body)
        assert response.status_code == 401
        assert response.json["error"]["code"] == "invalid_credentials"


def test_token_request_must_be_well_formed(client):
    response = client.post("/api/v1/auth/tokens", json={"email": "a@b.org"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert "password" in response.json["error"]["fields"]
    not_json = client.post("/api/v1/auth/tokens", data="{oops", content_type="application/json")
    assert not_json.status_code == 400


def test_disabled_user_cannot_get_or_use_tokens(client, make, token_for):
    user = make.user()
    headers = token_for(user)
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    response = client.post(
        "/api/v1/auth/tokens", json={"email": user.email, "password": make.PASSWORD}
    )
    assert response.status_code == 401


def test_bad_authorization_headers_are_401(client):
    for header in ("Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer "):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
    assert client.get("/api/v1/me").status_code == 401


def test_me_and_calendar_token_rotation(client, make, token_for):
    user = make.user("manager")
    headers = token_for(user)
    me = client.get("/api/v1/me", headers=headers).json
    assert me["role"] == "manager"
    assert me["organisation"]["slug"] == user.organisation.slug
    assert me["organisation"]["kind"] == "institute"
    old_url = me["calendar_feed_url"]
    assert old_url.endswith(".ics") and "/calendar/feed/" in old_url
    rotated = client.post("/api/v1/me/calendar-token", headers=headers)
    assert rotated.status_code == 200
    new_url = rotated.json["calendar_feed_url"]
    assert new_url != old_url
    assert client.get("/api/v1/me", headers=headers).json["calendar_feed_url"] == new_url


def test_calendar_tokens_verify_only_the_current_one(app, make):
    from sharing.auth.services import calendar_token, rotate_calendar_token, user_for_calendar_token

    user = make.user()
    key = app.config["SECRET_KEY"]
    old = calendar_token(user, key)
    assert user_for_calendar_token(old, key).id == user.id
    rotate_calendar_token(user)
    assert user_for_calendar_token(old, key) is None
    assert user_for_calendar_token(calendar_token(user, key), key).id == user.id
    for forged in ("", "abc", f"{user.id}-deadbeef", "-", "999-x"):
        assert user_for_calendar_token(forged, key) is None


def test_organisations_list_is_paginated(client, make):
    for kind in ("institute", "university", "enterprise"):
        make.org(kind)
    body = client.get("/api/v1/organisations?per_page=2").json
    assert body["total"] == 3 and body["per_page"] == 2 and len(body["items"]) == 2
    assert set(body["items"][0]) >= {"id", "slug", "name", "name_en", "kind"}
    second = client.get("/api/v1/organisations?per_page=2&page=2").json
    assert len(second["items"]) == 1


def test_categories(client):
    items = client.get("/api/v1/categories").json["items"]
    assert len(items) == 14  # the contract's thirteen and research vessels (third round)
    assert items[1] == {"slug": "mass-spectrometry", "name": "质谱", "name_en": "Mass spectrometry"}
    assert items[-1]["slug"] == "research-vessels"


def test_a_tokens_last_use_is_kept_by_reads_too_a_few_minutes_precise(client, make, token_for):
    headers = token_for(make.user())

    def last_used():
        db.session.expire_all()
        return db.session.scalar(select(ApiToken.last_used_at))

    assert last_used() is None
    client.get("/api/v1/me", headers=headers)  # a read: nothing else would commit
    first = last_used()
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    client.get("/api/v1/me", headers=headers)
    assert last_used() == first  # within the precision: no write
    db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=6)))
    db.session.commit()
    client.get("/api/v1/me", headers=headers)
    assert last_used() > first
