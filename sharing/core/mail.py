"""Composing e-mail and queueing it in the outbox (`outbox.py` delivers it: SMTP when
MAIL_SERVER is set, the log otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from blinker import Namespace
from flask import current_app, has_app_context, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import event
from sqlalchemy.orm import Session

from sharing.core.outbox import OUTBOX, add_to_outbox, note_queued


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    # For the recipient's notices (sharing.notices): who, the title, the page it points to.
    user_id: int | None = None
    title: str = ""
    link: str = ""
    kind: str = "mail"


# Sent with the mails as they are queued, inside the transaction that caused them.
mails_queued = Namespace().signal("mails-queued")


def mail_in_their_language(person, compose: Callable[[], tuple[str, list[str]]]) -> Mail:
    """A mail to `person` in their language: `compose()` gives the title and the body's lines.

    Every platform mail has this shape: the platform's name before the title in the subject, one
    fact a line, empty lines (such as a link made outside a request) left out.
    """
    with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        title, lines = compose()
        platform = gettext("Blue Valley Instrument Sharing")
    # A bare path (a link made outside a request) is for the notice, not the mail's reader.
    body = "\n".join(line for line in lines if line and not line.startswith("/"))
    link = next((line for line in lines if line.startswith(("http://", "https://", "/"))), "")
    return Mail(
        to=person.email,
        subject=f"[{platform}] {title}",
        body=body,
        user_id=person.id,
        title=title,
        link=link,
    )


def link_for(endpoint: str, **values) -> str:
    """An absolute link for a mail; outside a request, where the site's address is unknown, the
    page's path alone (the recipient's notice links to it; the mail leaves it out)."""
    if not has_request_context():
        with current_app.test_request_context("/"):
            return url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def queue_mails(session: Session, mails: list[Mail]) -> None:
    """Write the mails to the outbox in the session's transaction: a rollback drops them, a
    commit hands them to whoever delivers the outbox (never this request: it waits on no SMTP).
    """
    for mail in mails:
        add_to_outbox(session, mail.to, mail.subject, mail.body)
    note_queued(session, mails)
    mails_queued.send(session, mails=mails)


# Called after a commit that queued mail (the site's courier when jobs run in the web process).
mails_committed = Namespace().signal("mails-committed")


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    mails = session.info.pop(OUTBOX, [])
    if mails and has_app_context():
        mails_committed.send(current_app._get_current_object(), count=len(mails))


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(OUTBOX, None)
