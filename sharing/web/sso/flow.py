"""The sign-in under way, kept in this browser's session between leaving for the server and
coming back: which organisation, where to go afterwards, since when."""

from __future__ import annotations

import time

from flask import session

FLOW_KEY = "campus_flow"
SIGNED_IN_KEY = "campus_sign_in"
LOGOUT_KEY = "campus_logout_url"
# A sign-in not finished within this many seconds is begun again.
FLOW_SECONDS = 600


def begin(slug: str, next_url: str, **extra) -> None:
    session[FLOW_KEY] = {"slug": slug, "next": next_url, "at": time.time(), **extra}


def take(slug: str) -> dict | None:
    """The flow begun for this organisation (removed: a return is used once), or None."""
    flow = session.pop(FLOW_KEY, None)
    if not isinstance(flow, dict) or flow.get("slug") != slug:
        return None
    if time.time() - float(flow.get("at", 0)) > FLOW_SECONDS:
        return None
    return flow


def remember_sign_in(slug: str, id_token: str | None) -> None:
    """What signing out needs later: the server, and for OpenID Connect the ID token."""
    session[SIGNED_IN_KEY] = {"slug": slug, "id_token": id_token}


def forget_sign_in() -> dict | None:
    return session.pop(SIGNED_IN_KEY, None)
