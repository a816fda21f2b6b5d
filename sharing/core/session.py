"""Who is calling: Flask-Login's session for pages, bearer tokens for the API and feeds.

Request machinery shared by every face; the features below never read the request themselves.
Who a session or a token names is auth's business: it hands its loaders over at `create_app`
(`ActorLoaders`), so this plumbing imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user

from sharing.core.dbsetup import before_writer_turn
from sharing.core.errors import Unauthorized, is_api_request
from sharing.extensions import csrf, db, login_manager
from sharing.util.timeutil import utcnow

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Cached per request in the WSGI environ: `g` can outlive a request when an app context is reused.
ACTOR_KEY = "sharing.api_actor"
TOKEN_KEY = "sharing.api_token"
LOADERS_KEY = "sharing.actor_loaders"


@dataclass(frozen=True)
class ActorLoaders:
    """How the people behind sessions and tokens are found (given by auth)."""

    # The user a session id names, or None (unknown, disabled, or the password changed since).
    load_user: Callable[[str], Any]
    # The live record of a bearer token, or None; the record's `.user` is the caller.
    resolve_token: Callable[[str], Any]
    # Note that a token was used; True when that wrote something to commit.
    mark_token_used: Callable[[Any, datetime], bool]


def init_login(app: Flask, loaders: ActorLoaders) -> None:
    """Configure Flask-Login: how to load users and what anonymous page visitors see."""
    app.extensions[LOADERS_KEY] = loaders
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        with before_writer_turn():
            return current_app.extensions[LOADERS_KEY].load_user(session_id)

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


def api_actor():
    """The caller of an API request: bearer token first, else the browser session (with CSRF)."""
    if ACTOR_KEY in request.environ:
        return request.environ[ACTOR_KEY]
    loaders: ActorLoaders = current_app.extensions[LOADERS_KEY]
    actor = None
    token = bearer_token()
    if token is not None:
        with before_writer_turn():
            record = loaders.resolve_token(token)
        if record is None:
            raise Unauthorized("The bearer token is unknown or revoked.")
        if loaders.mark_token_used(record, utcnow()):
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


def require_actor():
    """The caller, or 401 for anonymous requests."""
    actor = api_actor()
    if actor is None:
        raise Unauthorized("Sign in or send a bearer token.")
    return actor
