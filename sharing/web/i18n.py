"""Language choice: the user's saved choice, else the cookie, else Simplified Chinese."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

LANGUAGES = {"zh": "中文", "en": "English"}
LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The locale for this request."""
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Times are shown in the platform zone for everyone."""
    return current_app.config["SHARING_TIMEZONE"]
