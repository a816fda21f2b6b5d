"""Campus sign-in pages: leave for the organisation's server, come back signed in; and the
step after signing out that sends the person to the server's own sign-out."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import login_user

from sharing.auth.campus import CampusSignInRefused, sign_in_with_campus_account
from sharing.core.transaction import writes_on_get
from sharing.extensions import db, limiter
from sharing.sso.models import Protocol, SignInServer
from sharing.sso.services import get_server
from sharing.web.safety import safe_next_url
from sharing.web.sso import cas, errors, flow, oidc

bp = Blueprint("sso", __name__, url_prefix="/auth/sso")
log = logging.getLogger("sharing.sso")
# As the password sign-in: a browser comes here once a sign-in, a script guessing far more.
SIGN_IN_LIMIT = "10 per minute"
CLIENTS = {Protocol.CAS: cas, Protocol.OIDC: oidc}


def _server(slug: str) -> SignInServer:
    server = get_server(slug) if len(slug) <= 40 else None
    if server is None:
        abort(404)
    return server


def _callback_url(server: SignInServer) -> str:
    return url_for("sso.callback", slug=server.organisation.slug, _external=True)


def _problem(server: SignInServer, kind: str, status: int, message: str = ""):
    return render_template(
        "sso/problem.html", server=server, kind=kind, message=message, status=status
    ), status


@bp.get("/<slug>/login")
@limiter.limit(SIGN_IN_LIMIT)
def login(slug: str):
    """Send the browser to the organisation's server; `next` may only lead back into the site."""
    server = _server(slug)
    next_url = safe_next_url(request.args.get("next"), url_for("main.start"))
    try:
        target = CLIENTS[server.protocol].begin(server, _callback_url(server), next_url)
    except errors.ServerUnavailable as exc:
        log.warning("campus sign-in of %s unavailable: %s", slug, exc)
        return _problem(server, "unavailable", 503)
    return redirect(target)


@bp.get("/<slug>/callback")
@limiter.limit(SIGN_IN_LIMIT)
@writes_on_get
def callback(slug: str):
    """The return from the server: the ticket or the code checked there, the state and the
    nonce here; then the account is found by the server's subject (or made)."""
    server = _server(slug)
    try:
        person, begun, id_token = CLIENTS[server.protocol].finish(
            server, request.args, _callback_url(server)
        )
        user = sign_in_with_campus_account(server, person)
    except errors.ServerUnavailable as exc:
        log.warning("campus sign-in of %s unavailable: %s", slug, exc)
        return _problem(server, "unavailable", 503)
    except errors.SignInRefused as exc:
        log.info("campus sign-in of %s refused: %s", slug, exc)
        return _problem(server, exc.reason, 400)
    except CampusSignInRefused as exc:
        db.session.rollback()
        return _problem(server, "account", 403, exc.localized)
    login_user(user)
    flow.remember_sign_in(slug, id_token or None)
    return redirect(safe_next_url(begun.get("next"), url_for("main.start")))


def campus_logout_url(signed_in: dict | None) -> str | None:
    """Where signing out continues for a person who signed in at a campus server: its own
    sign-out, coming back to the platform's home page; None when there is none."""
    if not isinstance(signed_in, dict):
        return None
    server = get_server(str(signed_in.get("slug", "")))
    if server is None:
        return None
    home = url_for("main.home", _external=True)
    return CLIENTS[server.protocol].logout_url(server, home, signed_in.get("id_token"))


@bp.get("/signed-out")
def signed_out():
    """Signed out of the platform; the server's sign-out follows (a link, followed at once by
    static/js/follow-link.js: the page's form may only post to this site)."""
    target = session.pop(flow.LOGOUT_KEY, None)
    if not target:
        return redirect(url_for("main.home"))
    return render_template("sso/signed_out.html", target=target)
