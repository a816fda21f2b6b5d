"""Sign-in, sign-up and token creation are rate limited (per client address)."""

import pytest

from sharing.auth.campus import configure_campus_sign_in
from sharing.extensions import db


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def test_login_attempts_are_limited(client, make):
    user = make.user()
    codes = [
        client.post("/login", data={"email": user.email, "password": "wrong-guess"}).status_code
        for _ in range(11)
    ]
    assert codes == [400] * 10 + [429]
    page = client.post("/login", data={"email": user.email, "password": make.PASSWORD})
    assert page.status_code == 429 and "尝试次数过多" in page.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # reading the form is never limited


def test_signups_are_limited(client):
    codes = [client.post("/signup", data={"name": "x"}).status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]


def test_token_creation_is_limited_with_the_api_envelope(client):
    codes = [
        client.post("/api/v1/auth/tokens", json={"email": "a@b.org", "password": "x"}).status_code
        for _ in range(11)
    ]
    assert codes == [401] * 10 + [429]
    response = client.post("/api/v1/auth/tokens", json={"email": "a@b.org", "password": "x"})
    assert response.json["error"]["code"] == "rate_limited"


def test_reset_link_requests_are_limited(client):
    # Each request may send a mail: a limit keeps the form from flooding someone's inbox.
    codes = [
        client.post("/password/forgot", data={"email": "a@b.org"}).status_code for _ in range(6)
    ]
    assert codes == [302] * 5 + [429]


def test_campus_sign_in_and_its_return_are_limited(client, make):
    organisation = make.org("university", slug="sdu")
    settings = {"protocol": "cas", "server_url": "https://cas.sdu.example/cas"}
    configure_campus_sign_in(make.admin(), organisation, {**settings, "email_domains": ["s.cn"]})
    db.session.commit()
    logins = [client.get("/auth/sso/sdu/login").status_code for _ in range(11)]
    assert logins == [302] * 10 + [429]
    returns = [client.get("/auth/sso/sdu/callback?state=x").status_code for _ in range(11)]
    assert returns == [400] * 10 + [429]
