"""Language choice: the user's saved choice, else the cookie, else Simplified Chinese."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user

from sharing.core.session import ACTOR_KEY as API_ACTOR_KEY

LANGUAGES = {"zh": "中文", "en": "English"}
LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The locale for this request; outside requests (commands, the sweep) the platform's."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    caller = request.environ.get(API_ACTOR_KEY) or current_user
    if caller and caller.is_authenticated and caller.locale in LANGUAGES:
        return caller.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Times are shown in the platform zone for everyone."""
    return current_app.config["SHARING_TIMEZONE"]
