"""The account owner is told, in their language, when wrong passwords lock the account."""

import pytest

from sharing.auth.lockout import MAX_FAILED_LOGINS
from sharing.extensions import db


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def test_the_owner_hears_of_the_lock_once(client, make, smtp):
    _port, inbox = smtp
    user = make.user()
    for _ in range(MAX_FAILED_LOGINS):
        client.post("/login", data={"email": user.email, "password": "wrong-guess-1"})
    [mail] = inbox.wait_for(1)
    assert mail["To"] == user.email and "账户已暂时锁定" in mail["Subject"]
    body = mail.get_content()
    assert "密码错误次数过多" in body and "/login" in body
    client.post("/login", data={"email": user.email, "password": "wrong-guess-1"})  # still locked
    assert len(inbox.wait_for(1)) == 1  # no second mail while locked


def test_english_readers_get_english(client, make, smtp):
    _port, inbox = smtp
    user = make.user()
    user.locale = "en"
    db.session.commit()
    for _ in range(MAX_FAILED_LOGINS):
        client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "wrong-1"})
    [mail] = inbox.wait_for(1)
    assert "Your account is locked for a while" in mail["Subject"]
    assert "too many wrong passwords" in mail.get_content()
