"""Templates' gettext with the request's translations found once per locale.

Flask-Babel finds the translations anew for every string a template translates (the context,
the locale and its name, the cache: about four lookups each), and a page translates 50-80
strings. Here they are kept on `g` beside the locale they belong to, so `force_locale` (mail
and feeds in the recipient's language) still switches them.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale, get_translations


def request_translations():
    """The translations of the current locale, looked up once per request and locale."""
    if not g:
        return get_translations()
    locale = get_locale()
    kept = g.get("_kept_translations")
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    g._kept_translations = (locale, translations)
    return translations


def install_template_gettext(app: Flask) -> None:
    """Replace Flask-Babel's template callables (same newstyle gettext) with the kept ones."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
