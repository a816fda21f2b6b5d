"""A forgotten password: a signed link, mailed to the account, that sets a new one once.

Nothing is stored: the link carries the user's id and a fingerprint of the current password
hash, signed with the secret key and stamped with its time. Setting a password changes the
hash, so a link works once; an hour later it has expired anyway.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from sharing.auth.models import User
from sharing.auth.notifications import send_reset_link
from sharing.auth.passwords import password_fingerprint
from sharing.auth.services import get_user_by_email
from sharing.core.mail import link_for
from sharing.extensions import db
from sharing.sso.services import server_for_address

RESET_SALT = "password-reset"
RESET_HOURS = 1


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)


def reset_token(user: User) -> str:
    return _serializer().dumps([user.id, password_fingerprint(user.password_hash)])


def user_for_reset_token(token: str) -> User | None:
    """The user this link is for while it is fresh and unspent; None otherwise."""
    max_age = current_app.config.get("PASSWORD_RESET_SECONDS", RESET_HOURS * 3600)
    try:
        user_id, fingerprint = _serializer().loads(token, max_age=max_age)
    except (BadData, TypeError, ValueError):
        return None
    if not isinstance(user_id, int):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    if password_fingerprint(user.password_hash) != fingerprint:
        return None
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this address; say nothing either way, so the
    form cannot be used to learn who has an account. Campus sign-in addresses have no
    password to reset."""
    if server_for_address(email or "") is not None:
        return
    user = get_user_by_email(email)
    if user is None or not user.active:
        return
    link = link_for("auth.reset_password", token=reset_token(user))
    send_reset_link(user, link, RESET_HOURS)
