"""Changing a password and resetting a forgotten one: proof, rules, sessions, links, mails."""

import re

import pytest

from sharing.auth.models import User
from sharing.auth.recovery import reset_token
from sharing.extensions import db
from sharing.util.timeutil import utcnow

NEW = "tide-gauge-2027"
LINK = re.compile(r"https?://\S+/password/reset/(\S+)")


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def _signs_in(app, email, password) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def _change(client, current, new=NEW, confirm=None):
    return client.post(
        "/profile/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_changing_needs_the_current_password_and_a_good_new_one(app, client, make, login):
    user = make.user()
    login(user)
    wrong = _change(client, "not-my-password-1")
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    weak = _change(client, make.PASSWORD, new="short1")
    assert weak.status_code == 400 and "此密码不符合上面的要求" in weak.get_data(as_text=True)
    mismatch = _change(client, make.PASSWORD, confirm="tide-gauge-2028")
    assert mismatch.status_code == 400 and "两次输入的密码不一致" in mismatch.get_data(as_text=True)
    assert _signs_in(app, user.email, make.PASSWORD)  # nothing changed yet


def test_a_change_ends_other_sessions_but_not_this_one(app, client, make, login, smtp):
    _port, inbox = smtp
    user = make.user()
    login(user)
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": user.email, "password": make.PASSWORD})
    assert elsewhere.get("/profile").status_code == 200
    done = _change(client, make.PASSWORD)
    assert done.status_code == 302 and done.headers["Location"] == "/profile"
    assert client.get("/profile").status_code == 200
    assert elsewhere.get("/profile").status_code == 302  # signed out: sent to sign in
    assert not _signs_in(app, user.email, make.PASSWORD) and _signs_in(app, user.email, NEW)
    [mail] = inbox.wait_for(1)
    assert mail["To"] == user.email and "您的密码已修改" in mail["Subject"]
    assert "如果不是您本人操作" in mail.get_content()


def test_a_forgotten_password_is_reset_through_the_mailed_link_once(app, client, make, smtp):
    _port, inbox = smtp
    user = make.user()
    asked = client.post("/password/forgot", data={"email": user.email.upper()})
    assert asked.status_code == 302
    [mail] = inbox.wait_for(1)
    assert mail["To"] == user.email and "设置新密码" in mail["Subject"]
    token = LINK.search(mail.get_content()).group(1)
    form = client.get(f"/password/reset/{token}")
    assert form.status_code == 200 and user.email in form.get_data(as_text=True)
    weak = client.post(
        f"/password/reset/{token}", data={"password": "abcdefgh", "confirm": "abcdefgh"}
    )
    assert weak.status_code == 400
    done = client.post(f"/password/reset/{token}", data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert _signs_in(app, user.email, NEW) and not _signs_in(app, user.email, make.PASSWORD)
    spent = client.get(f"/password/reset/{token}")
    assert spent.status_code == 404 and "此链接已过期或已被使用" in spent.get_data(as_text=True)
    again = client.post(
        f"/password/reset/{token}", data={"password": "x-" + NEW, "confirm": "x-" + NEW}
    )
    assert again.status_code == 404 and _signs_in(app, user.email, NEW)
    assert "您的密码已修改" in inbox.wait_for(2)[1]["Subject"]


def test_the_answer_is_the_same_for_unknown_and_disabled_addresses(client, make, smtp):
    _port, inbox = smtp
    disabled = make.user()
    disabled.active = False
    db.session.commit()
    answers = [
        client.post("/password/forgot", data={"email": email}, follow_redirects=True)
        for email in ("nobody@example.org", disabled.email)
    ]
    for answer, email in zip(answers, ("nobody@example.org", disabled.email), strict=True):
        assert answer.status_code == 200
        assert f"如果 {email} 已注册账号" in answer.get_data(as_text=True)
    assert inbox.wait_for(1, timeout=0.5) == []
    assert client.post("/password/forgot", data={"email": ""}).status_code == 400


def test_expired_forged_and_other_peoples_links_are_refused(app, client, make):
    user = make.user()
    token = reset_token(user)
    for bad in (token[:-2] + "xx", "not-a-token", token + "."):
        assert client.get(f"/password/reset/{bad}").status_code == 404
    current_app_config = app.config
    current_app_config["PASSWORD_RESET_SECONDS"] = -1  # every link is older than that
    assert client.get(f"/password/reset/{token}").status_code == 404
    current_app_config["PASSWORD_RESET_SECONDS"] = 3600
    assert client.get(f"/password/reset/{token}").status_code == 200


def test_a_reset_lifts_a_lockout(app, client, make):
    user = make.user()
    user.failed_logins, user.locked_until = 0, utcnow().replace(year=2099)
    db.session.commit()
    token = reset_token(user)
    client.post(f"/password/reset/{token}", data={"password": NEW, "confirm": NEW})
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is None
    assert _signs_in(app, user.email, NEW)


def test_pages_link_to_the_password_pages(client, make, login):
    assert "/password/forgot" in client.get("/login").get_data(as_text=True)
    login(make.user())
    assert "/profile/password" in client.get("/profile").get_data(as_text=True)
    page = client.get("/profile/password").get_data(as_text=True)
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page
    assert "至少 8 位，须同时包含字母和数字或符号" in page  # the rule, above the new password
