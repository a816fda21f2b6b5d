"""Sending e-mail: SMTP when MAIL_SERVER is set, the log otherwise. Never raises."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("sharing.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


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


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    mails = session.info.pop(OUTBOX, [])
    if mails:
        send_all(mails)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(OUTBOX, None)
