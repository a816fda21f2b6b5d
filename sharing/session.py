"""Who is calling: Flask-Login's session for pages, bearer tokens for the API and feeds.

Request machinery shared by every face; the features below never read the request themselves.
"""

from __future__ import annotations

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user

from sharing.auth.models import User
from sharing.dbsetup import before_writer_turn
from sharing.errors import Unauthorized, is_api_request
from sharing.extensions import csrf, db, login_manager
from sharing.timeutil import utcnow

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Cached per request in the WSGI environ: `g` can outlive a request when an app context is reused.
ACTOR_KEY = "sharing.api_actor"
TOKEN_KEY = "sharing.api_token"


def init_login(app: Flask) -> None:
    """Configure Flask-Login: how to load users and what anonymous page visitors see."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id = session_id.partition(":")[0]
        with before_writer_turn():
            user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active or user.get_id() != session_id:
            return None  # unknown, disabled, or signed in with a password since changed
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if is_api_request():
            raise Unauthorized("Sign in or send a bearer token.")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_actor() -> User | None:
    """The caller of an API request: bearer token first, else the browser session (with CSRF)."""
    if ACTOR_KEY in request.environ:
        return request.environ[ACTOR_KEY]
    from sharing.auth.services import mark_token_used, resolve_api_token

    actor = None
    token = bearer_token()
    if token is not None:
        with before_writer_turn():
            record = resolve_api_token(token)
        if record is None:
            raise Unauthorized("The bearer token is unknown or revoked.")
        if mark_token_used(record, utcnow()):
            # Its own commit: read-only calls, which the request's commit point leaves alone,
            # and refused ones keep it too.
            db.session.commit()
        request.environ[TOKEN_KEY] = record
        actor = record.user
    elif request.headers.get("Authorization"):
        raise Unauthorized("Use 'Authorization: Bearer <token>'.")
    elif current_user.is_authenticated:
        if request.method in UNSAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        actor = current_user._get_current_object()
    request.environ[ACTOR_KEY] = actor
    return actor


def current_api_token():
    """The token record this request authenticated with, if it used one."""
    api_actor()
    return request.environ.get(TOKEN_KEY)


def require_actor() -> User:
    """The caller, or 401 for anonymous requests."""
    actor = api_actor()
    if actor is None:
        raise Unauthorized("Sign in or send a bearer token.")
    return actor
