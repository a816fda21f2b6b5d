"""Sign-up, sign-in, the `next` redirect, sign-out, profile and language choice."""

import re

import pytest
from sqlalchemy import select

from sharing.auth.models import Role, User
from sharing.extensions import db


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("institute", Role.RESEARCHER),
        ("university", Role.RESEARCHER),
        ("enterprise", Role.ENTERPRISE),
    ],
)
def test_signup_role_follows_the_organisation(client, make, kind, role):
    org = make.org(kind)
    response = client.post(
        "/signup",
        data={
            "name": "新用户",
            "email": "New@Example.org",
            "organisation": org.slug,
            "password": "ocean-2026",
            "confirm": "ocean-2026",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.role == role and user.organisation_id == org.id
    assert user.password_hash != "ocean-2026"
    assert client.get("/profile").status_code == 200  # signed in straight away


def test_signup_refuses_operator_duplicates_and_weak_passwords(client, make):
    operator = make.org("operator")
    institute = make.org("institute")
    make.user(org=institute, email="taken@example.org")
    cases = [
        ({"organisation": operator.slug}, "Choose your organisation"),  # not offered at all
        ({"email": "taken@example.org"}, "exists already"),
        ({"password": "abcdefgh", "confirm": "abcdefgh"}, "does not follow the rule"),
        ({"confirm": "different-1"}, "Passwords do not match"),
    ]
    for change, message in cases:
        data = {
            "name": "X",
            "email": "x@example.org",
            "organisation": institute.slug,
            "password": "ocean-2026",
            "confirm": "ocean-2026",
            **change,
        }
        client.set_cookie("lang", "en")
        response = client.post("/signup", data=data)
        assert response.status_code == 400, change
        assert message.encode() in response.data or b"Not a valid choice" in response.data, change
    assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None


def test_login_with_wrong_password(client, make):
    user = make.user()
    client.set_cookie("lang", "en")
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 400
    assert b"E-mail or password is wrong." in response.data
    assert client.get("/profile").status_code == 302  # still anonymous


def test_a_json_body_posted_to_a_page_reads_as_an_empty_form(client, make):
    """Found by the hostile-input suite: Flask-WTF put a JSON body's float into the e-mail
    field, and the campus sign-in's domain check failed on it (500). JSON is the API's."""
    user = make.user()
    for body in (
        {"email": 1.5, "password": True},
        {"email": user.email, "password": make.PASSWORD},
    ):
        response = client.post("/login", json=body)
        assert response.status_code == 400  # the form again, with its messages
        assert b'name="email"' in response.data
        assert client.get("/profile").status_code == 302  # not signed in


def test_login_in_chinese_by_default(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert "邮箱或密码错误".encode() in response.data


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/instruments?q=nmr", "/instruments?q=nmr"),
        # Refused: the signed-in person's start page instead.
        ("https://evil.example/phish", "/start"),
        ("//evil.example", "/start"),
        ("/\\evil.example", "/start"),
    ],
)
def test_next_redirect_stays_on_site(client, make, next_url, expected):
    user = make.user()
    response = client.post(
        "/login", data={"email": user.email, "password": make.PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == expected
    assert "evil" not in location


def test_protected_page_sends_anonymous_users_to_login_with_next(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login?next=/profile" in response.headers["Location"]


def test_logout(client, make, login):
    login(make.user())
    assert client.post("/logout").status_code == 302
    assert client.get("/profile").status_code == 302


def test_disabled_account_cannot_sign_in(client, make):
    user = make.user()
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD})
    assert response.status_code == 400


def test_profile_update_and_calendar_rotation(client, make, login):
    user = make.user()
    login(user)
    page = client.get("/profile")
    old_salt = user.calendar_salt
    assert b"/calendar/feed/" in page.data
    response = client.post("/profile", data={"name": "新名字", "phone": "0532-1234"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.phone) == ("新名字", "0532-1234")
    assert client.post("/profile/calendar-token").status_code == 302
    db.session.refresh(user)
    assert user.calendar_salt != old_salt


def test_language_choice_is_remembered(client, make, login):
    response = client.get("/lang/en?next=/instruments")
    assert response.status_code == 302 and response.headers["Location"].endswith("/instruments")
    assert b"Instruments" in client.get("/instruments").data
    user = make.user()
    login(user)
    client.get("/lang/zh?next=https://evil.example")
    db.session.refresh(user)
    assert user.locale == "zh"
    client.delete_cookie("lang")
    assert "仪器".encode() in client.get("/instruments").data


def test_forms_reject_missing_csrf_token(database_url, make):
    from sharing import create_app
    from tests.conftest import base_config

    app = create_app(base_config(database_url, WTF_CSRF_ENABLED=True))
    user = make.user()
    response = app.test_client().post(
        "/login", data={"email": user.email, "password": make.PASSWORD}
    )
    assert response.status_code == 400
    app.extensions["sqlalchemy"].engine.dispose()


def test_profile_lists_and_revokes_api_tokens(client, make, login, token_for):
    user, other = make.user(), make.user()
    first, second = token_for(user), token_for(user)
    others = token_for(other)
    login(user)
    page = client.get("/profile").get_data(as_text=True)
    assert page.count('name="token" value=') == 2 and page.count("从未使用") == 2
    assert client.get("/api/v1/me", headers=first).status_code == 200
    assert client.get("/profile").get_data(as_text=True).count("从未使用") == 1
    ids = [int(i) for i in re.findall(r'name="token" value="(\d+)"', page)]
    # Another user's token id is not this user's to revoke: nothing happens.
    foreign = max(ids) + 1
    client.post("/profile/tokens/revoke", data={"token": str(foreign)})
    assert client.get("/api/v1/me", headers=others).status_code == 200
    assert client.post("/profile/tokens/revoke", data={"token": "abc"}).status_code == 400
    newest = max(ids)
    done = client.post("/profile/tokens/revoke", data={"token": str(newest)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/profile#api-tokens")
    assert client.get("/api/v1/me", headers=second).status_code == 401
    assert client.get("/api/v1/me", headers=first).status_code == 200
    client.post("/profile/tokens/revoke", data={})
    assert client.get("/api/v1/me", headers=first).status_code == 401
    assert "没有 API 令牌" in client.get("/profile").get_data(as_text=True)
    assert client.get("/api/v1/me", headers=others).status_code == 200


def test_service_refusals_are_said_in_the_readers_language(client, make):
    institute = make.org("institute")
    make.user(org=institute, email="taken@example.org")
    data = {
        "name": "X",
        "email": "taken@example.org",
        "organisation": institute.slug,
        "password": "ocean-2026",
        "confirm": "ocean-2026",
    }
    chinese = client.post("/signup", data=data).get_data(as_text=True)
    assert "taken@example.org 已有账号。" in chinese and "exists already" not in chinese
    client.set_cookie("lang", "en")
    english = client.post("/signup", data=data).get_data(as_text=True)
    assert "An account for taken@example.org exists already." in english
    # The API keeps one language for scripts; its codes are what programs read.
    api = client.get("/api/v1/instruments/999999")
    assert api.json["error"] == {"code": "not_found", "message": "No instrument 999999."}
