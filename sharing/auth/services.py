"""Account operations: create users, sign up, authenticate, API and calendar tokens."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from sqlalchemy import select, update

from sharing.auth.lockout import after_failure, is_locked
from sharing.auth.models import ApiToken, Role, User
from sharing.auth.notifications import notify_locked, notify_password_changed
from sharing.auth.passwords import hash_password, password_problems, verify_password
from sharing.core.errors import BadRequest, Conflict, Unauthorized
from sharing.core.transaction import keep_even_if_refused
from sharing.extensions import db
from sharing.orgs.models import Organisation, OrgKind
from sharing.sso.models import SignInServer
from sharing.sso.services import server_for_address
from sharing.util.formatting import platform_zone
from sharing.util.numbers import parse_count
from sharing.util.timeutil import format_datetime, utcnow


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


@functools.cache
def _timing_dummy_hash(method: str) -> str:
    """A hash to check unknown e-mails against, so they cost as much time as wrong passwords."""
    return hash_password(secrets.token_hex(8), method)


SELF_SERVICE_ROLE = {
    OrgKind.INSTITUTE: Role.RESEARCHER,
    OrgKind.UNIVERSITY: Role.RESEARCHER,
    OrgKind.ENTERPRISE: Role.ENTERPRISE,
}


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"


class AccountLocked(Unauthorized):
    """Too many wrong passwords in a row; `locked_until` says when signing in works again."""

    code = "account_locked"

    def __init__(self, locked_until):
        super().__init__(
            "Too many wrong passwords: this account is locked for a while.",
            locked_until=format_datetime(locked_until, platform_zone()),
        )
        self.locked_until = locked_until


class CampusSignInRequired(Unauthorized):
    """A password was offered for an address that signs in at its organisation's server
    (campus sign-in, see sharing/auth/campus.py): no password opens such an account."""

    code = "invalid_credentials"

    def __init__(self, server: SignInServer):
        organisation = server.organisation
        super().__init__(
            "This address signs in with the campus account of %(organisation)s, not with a "
            "password.",
            {"organisation": organisation.name},
            reason="sso_required",
            organisation=organisation.slug,
        )
        self.server = server


def refuse_password_for(address: str) -> None:
    """CampusSignInRequired when the address lies in an organisation's campus sign-in domains."""
    server = server_for_address(address or "")
    if server is not None:
        raise CampusSignInRequired(server)


def normalise_email(email: str) -> str:
    """The canonical, lower-cased form of an address, or BadRequest."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise BadRequest(str(exc), fields={"email": [str(exc)]}) from None


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    email: str, name: str, password: str, role: str, organisation: Organisation, phone: str = ""
) -> User:
    """Add a user after checking e-mail, password rule, role and uniqueness."""
    address = normalise_email(email)
    try:
        user_role = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise BadRequest(
            "Unknown role '%(role)s'; use one of %(allowed)s.",
            {"role": role, "allowed": allowed},
        ) from None
    if not name.strip():
        raise BadRequest("A user needs a name.", fields={"name": ["required"]})
    _check_password_rule(password)
    if get_user_by_email(address) is not None:
        raise Conflict(
            "An account for %(address)s exists already.",
            code="duplicate",
            params={"address": address},
        )
    user = User(
        email=address,
        name=name.strip(),
        password_hash=hash_password(password, _hash_method()),
        role=user_role,
        organisation=organisation,
        phone=phone.strip(),
        calendar_salt=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _check_password_rule(password: str) -> None:
    problems = password_problems(password)
    if problems:
        message = "The password needs " + " and ".join(problems) + "."
        raise BadRequest(message, fields={"password": problems})


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The signed-in user chooses a new password; knowing the current one is the proof."""
    if not verify_password(user.password_hash, current_password):
        raise BadRequest("The current password is wrong.", fields={"current_password": ["wrong"]})
    set_password(user, new_password)


def set_password(user: User, new_password: str) -> None:
    """Store a new password: every other session and reset link of the account stops working
    (both are bound to the stored hash), so do its API tokens, a lockout ends, and the owner
    is told by mail."""
    _check_password_rule(new_password)
    user.password_hash = hash_password(new_password, _hash_method())
    user.failed_logins, user.locked_until = 0, None
    revoke_api_tokens(user)
    db.session.flush()
    notify_password_changed(user)


def sign_up(email: str, name: str, password: str, organisation: Organisation) -> User:
    """Self-service registration: the role follows the organisation's kind. Addresses of a
    campus sign-in register there, by signing in once."""
    campus = server_for_address(email or "")
    if campus is not None:
        raise BadRequest(
            "Addresses of %(organisation)s sign in with their campus account; the platform "
            "account is made at the first sign-in.",
            {"organisation": campus.organisation.name},
            fields={"email": ["sso_required"]},
            reason="sso_required",
            organisation=campus.organisation.slug,
        )
    role = SELF_SERVICE_ROLE.get(organisation.kind)
    if role is None:
        raise BadRequest(
            "Accounts of the platform operator are created by administrators.",
            fields={"organisation": ["not open for sign-up"]},
        )
    return create_user(email, name, password, role.value, organisation)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; AccountLocked while locked out, and
    CampusSignInRequired (before any password is checked) for a campus sign-in address.

    The count of wrong passwords is kept even though the request that caused it is refused.
    """
    refuse_password_for(email)
    user = get_user_by_email(email)
    if user is None:
        verify_password(_timing_dummy_hash(_hash_method()), password)
        return None
    now = utcnow()
    if is_locked(user.locked_until, now):
        raise AccountLocked(user.locked_until)
    if not verify_password(user.password_hash, password):
        locked_now = _record_failed_login(user, now)
        if locked_now:
            notify_locked(user)
        keep_even_if_refused()
        if locked_now:
            raise AccountLocked(user.locked_until)  # this very attempt locked it: say so at once
        return None
    if not user.active:
        return None
    if user.failed_logins or user.locked_until:
        user.failed_logins, user.locked_until = 0, None
        db.session.flush()
    return user


def _record_failed_login(user: User, now) -> bool:
    """Count one wrong password in the database itself, so concurrent workers all count;
    True when this failure locked the account."""
    failed = db.session.scalar(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    )
    failed, locked_until = after_failure(failed, now)
    if locked_until is not None:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=failed, locked_until=locked_until)
        )
    db.session.refresh(user)
    return locked_until is not None


def unlock_user(user: User) -> None:
    """An administrator lifts a lockout at once."""
    user.failed_logins, user.locked_until = 0, None
    db.session.flush()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User, label: str = "") -> str:
    """Create a bearer token for `user`; the plain token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_digest(token), label=label.strip()[:80]))
    db.session.flush()
    return token


def load_session_user(session_id: str) -> User | None:
    """The active user a session id names; None when unknown, disabled, or when the password
    changed since the session began (the id carries the password's mark)."""
    user_id = session_id.partition(":")[0]
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or user.get_id() != session_id:
        return None
    return user


def resolve_api_token(token: str) -> ApiToken | None:
    """The live token record for a bearer string, or None."""
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    return record


# "Last used" is for people deciding which token to revoke: a few minutes' precision is enough,
# and it spares a write on every call of a busy script.
LAST_USED_PRECISION = timedelta(minutes=5)


def mark_token_used(record: ApiToken, now: datetime) -> bool:
    """Record that a token was used (at most every few minutes); True when it wrote."""
    if record.last_used_at is not None and now - record.last_used_at < LAST_USED_PRECISION:
        return False
    db.session.execute(update(ApiToken).where(ApiToken.id == record.id).values(last_used_at=now))
    return True


def revoke_api_token(record: ApiToken) -> None:
    record.revoked_at = utcnow()
    db.session.flush()


def live_api_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still open the API, newest first."""
    statement = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(statement))


def revoke_api_tokens(user: User, token_id: int | None = None) -> int:
    """Revoke one of the user's live tokens, or all of them; how many were revoked."""
    statement = (
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if token_id is not None:
        statement = statement.where(ApiToken.id == token_id)
    return db.session.execute(statement).rowcount


def end_sessions(user: User) -> None:
    """Signing out: every session cookie of the account issued so far stops working."""
    user.session_epoch += 1
    db.session.flush()


def login_with_password(email: str, password: str) -> User:
    """Authenticate for the token endpoint; Unauthorized with `invalid_credentials` otherwise."""
    user = authenticate(email, password)
    if user is None:
        raise InvalidCredentials("E-mail or password is wrong.")
    return user


def calendar_token(user: User, secret_key: str) -> str:
    """The personal feed's secret: derived, never stored; rotating the salt revokes it."""
    mac = hmac.new(secret_key.encode(), f"{user.id}:{user.calendar_salt}".encode(), "sha256")
    return f"{user.id}-{mac.hexdigest()[:40]}"


def user_for_calendar_token(token: str, secret_key: str) -> User | None:
    """The user whose current calendar token this is, or None (old or forged tokens)."""
    user_id, _, _mac = token.partition("-")
    try:
        user = db.session.get(User, parse_count(user_id))
    except ValueError:
        return None
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(calendar_token(user, secret_key), token):
        return None
    return user


def rotate_calendar_token(user: User) -> None:
    """Give the user a new feed URL; the old one stops working at once."""
    user.calendar_salt = secrets.token_hex(16)
    db.session.flush()


def calendar_feed_url(user: User) -> str:
    """The absolute URL of the user's personal iCal feed, for the current request's host."""
    token = calendar_token(user, current_app.config["SECRET_KEY"])
    return url_for("ical.personal_feed", token=token, _external=True)
