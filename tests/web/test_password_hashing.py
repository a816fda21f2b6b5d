"""Stored hashes name their own method: changing the configured one never locks anybody out."""

from flask import current_app
from sqlalchemy import select

from sharing.auth.models import User
from sharing.auth.passwords import hash_password
from sharing.auth.services import authenticate, create_user
from sharing.extensions import db
from tests.conftest import TEST_HASH_METHOD


def test_new_hashes_use_the_configured_method(make):
    user = create_user("a@example.org", "甲", "ocean-2026", "researcher", make.org("institute"))
    assert user.password_hash.startswith(TEST_HASH_METHOD + "$")
    current_app.config["PASSWORD_HASH_METHOD"] = "scrypt"  # the app the test works in
    other = create_user("b@example.org", "乙", "ocean-2026", "researcher", user.organisation)
    assert other.password_hash.startswith("scrypt:")


def test_a_hash_made_with_another_method_still_signs_in(client, make):
    user = make.user(email="old@example.org")
    user.password_hash = hash_password("tide-table-7", "scrypt")  # e.g. from before a change
    db.session.commit()
    assert authenticate("old@example.org", "tide-table-7").id == user.id
    assert authenticate("old@example.org", "tide-table-8") is None
    db.session.commit()  # services never commit: here the test is the request's boundary
    response = client.post("/login", data={"email": "old@example.org", "password": "tide-table-7"})
    assert response.status_code == 302
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("scrypt:")
