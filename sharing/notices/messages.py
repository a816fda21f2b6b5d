"""Notifications written by the features themselves (loans, cruises), said in the reader's
language at display time.

A notification's `text` is stored once, in its addressee's language (as their mails are; the
API's `text`). Each such text is one of the messages below with its parameters, so a page can
read the stored text back (in English or in Chinese) and say it again in the language of the
page: a loan notice stored in English reads in Chinese on a Chinese page, a cruise notice
stored in Chinese in English on an English one. Texts that are none of these (mail copies,
older free text) are shown as stored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from sharing.auth.models import User
from sharing.extensions import db
from sharing.notices.models import Notification
from sharing.notices.services import leave_notice

# The English wording is the one loans stored before messages had keys: their rows still read.
MESSAGES = {
    "loan_requested": _l("Loan request #%(loan)s: %(items)s from %(start)s to %(end)s"),
    "loan_approved": _l("Loan #%(loan)s is approved by every owner."),
    "loan_declined": _l("Loan #%(loan)s was declined (%(item)s): every item is free again."),
    "loan_cancelled": _l("Loan #%(loan)s was cancelled."),
    "loan_dispatched": _l("%(item)s was dispatched for loan #%(loan)s."),
    "loan_inspected_ok": _l("%(item)s was inspected (ok); its charges are on your statement."),
    "loan_inspected_damaged": _l(
        "%(item)s was inspected (damaged); its charges are on your statement."
    ),
    "loan_inspected_lost": _l("%(item)s was inspected (lost); its charges are on your statement."),
    "loan_overdue": _l("%(item)s of loan #%(loan)s is %(days)s day(s) overdue."),
    "loan_at_risk": _l("Loan #%(loan)s is at risk: %(item)s is not back from an earlier loan."),
    # Cruises stored Chinese text: their Chinese wording is the translation, exactly.
    "cruise_application": _l("Cruise “%(cruise)s” has an application to join: %(project)s"),
    "cruise_allocated": _l("Cruise “%(cruise)s” allocated %(berths)s berth(s) to your application"),
    "cruise_declined": _l(
        "Sorry, cruise “%(cruise)s” could not take your application “%(project)s”"
    ),
    "cruise_cancelled": _l("Cruise “%(cruise)s” was cancelled: %(reason)s"),
}
LOCALES = ("en", "zh")
PARAMETER = re.compile(r"%\((\w+)\)s")


def compose(key: str, locale: str, **params) -> str:
    """The message in `locale`, with its parameters."""
    with force_locale(locale):
        return str(MESSAGES[key]) % {name: str(value) for name, value in params.items()}


def leave_message(user_id: int, key: str, url: str, kind: str, **params) -> Notification:
    """A notification stored in its addressee's language (their chosen one, else the
    platform's), and said again in the reader's at display."""
    (notice,) = leave_messages([user_id], key, url, kind, **params)
    return notice


def leave_messages(
    user_ids: Iterable[int], key: str, url: str, kind: str, **params
) -> list[Notification]:
    """The same message for several people, each in their own language: their languages are
    read in one statement, so the notices go in together too."""
    ids = sorted(set(user_ids))
    chosen = dict(db.session.execute(select(User.id, User.locale).where(User.id.in_(ids))).all())
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [
        leave_notice(user_id, compose(key, chosen.get(user_id) or default, **params), url, kind)
        for user_id in ids
    ]


@cache
def _pattern(key: str, locale: str) -> re.Pattern | None:
    with force_locale(locale):
        wording = str(MESSAGES[key])
    parts = PARAMETER.split(wording)
    # split gives text, name, text, name, ..., text: names at the odd places.
    pattern = "".join(
        f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(f"^{pattern}$", re.DOTALL)


def read_back(text: str) -> tuple[str, dict[str, str]] | None:
    """The message and parameters a stored text was made from, in either language."""
    for key in MESSAGES:
        for locale in LOCALES:
            found = _pattern(key, locale).match(text)
            if found:
                return key, found.groupdict()
    return None


def said_again(text: str) -> str | None:
    """The stored text in the current request's language; None when it is none of the
    messages (a mail's copy, older free text)."""
    found = read_back(text or "")
    if found is None:
        return None
    key, params = found
    return compose(key, str(get_locale()), **params)


def said(text: str) -> str:
    """The stored text in the current request's language, when it is one of the messages."""
    again = said_again(text)
    return text if again is None else again
