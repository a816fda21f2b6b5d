"""Sending e-mail: SMTP when MAIL_SERVER is set, the log otherwise. Never raises."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from blinker import Namespace
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("sharing.mail")


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


def send_all(mails: list[Mail]) -> None:
    """Deliver the mails; a failure is logged, never raised into the request that caused it."""
    if not mails:
        return
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if not server:
        for mail in mails:
            log.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)
        return
    try:
        with smtplib.SMTP(server, int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
            if str(config.get("MAIL_USE_TLS", "")).lower() in ("1", "true", "yes"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            for mail in mails:
                message = EmailMessage()
                message["From"] = config["MAIL_SENDER"]
                message["To"] = mail.to
                message["Subject"] = mail.subject
                message.set_content(mail.body)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send %d mail(s) through %s", len(mails), server)


OUTBOX = "outbox"


def queue_mails(session: Session, mails: list[Mail]) -> None:
    """Hold mails until the session's transaction commits; a rollback drops them."""
    session.info.setdefault(OUTBOX, []).extend(mails)
    mails_queued.send(session, mails=mails)


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    mails = session.info.pop(OUTBOX, [])
    if mails:
        send_all(mails)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(OUTBOX, None)
