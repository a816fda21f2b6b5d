"""The mail outbox: every mail is a row written in the transaction that caused it, delivered
later by whichever process runs the jobs (a worker, or the site itself on the SQLite default).

A rollback drops the row with the rest of the work, so a refused request mails nobody. Delivery
leases a batch of due rows (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so two workers never claim the
same row; SQLite: one writer at a time), sends them, and marks each one sent in a transaction of
its own, on the condition that the lease is still the sender's. A worker that dies holding a
lease loses nothing: when the lease runs out another worker takes the rows over. A worker whose
lease is about to run out sends no more of its batch, so a row is never sent by two workers.

A failed attempt is retried: the first within a minute, then at doubling delays, for 24 hours
after the mail was queued; then the row is `failed` and waits for an admin's retry.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from sharing.core.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.util.timeutil import utcnow

log = logging.getLogger("sharing.mail")

PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=4)
GIVE_UP_AFTER = timedelta(hours=24)
LEASE = timedelta(minutes=5)
BATCH = 50


class OutboxMail(db.Model):
    """One mail to deliver, as queued: who, what, and how its delivery went."""

    __tablename__ = "outbox_mails"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="known_status"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_when_sent"),
        CheckConstraint(
            "(status = 'pending') = (next_attempt_at IS NOT NULL)", name="pending_has_next"
        ),
        Index("ix_outbox_mails_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column("to_address", String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    leased_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


def next_attempt(attempts: int, created_at: datetime, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts; None once 24 hours have gone by.

    30 s, 1 min, 2 min, ... doubling up to 4 hours apart; the last try falls at the 24th hour.
    """
    deadline = created_at + GIVE_UP_AFTER
    if now >= deadline:
        return None
    wait = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)
    return min(now + wait, deadline)


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs of a row: read inside the claim, sent outside any transaction."""

    id: int
    to: str
    subject: str
    body: str
    lease_until: datetime


class PermanentFailure(Exception):
    """The mail server refused the mail for good (every recipient refused with a 5xx)."""


Send = Callable[[Outgoing], None]


class LogTransport:
    """No MAIL_SERVER: each mail is written to the log (development)."""

    @contextmanager
    def connect(self) -> Iterator[Send]:
        def send(mail: Outgoing) -> None:
            log.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.body)

        yield send


class SmtpTransport:
    """SMTP from the MAIL_* settings: one connection for a batch."""

    def __init__(self, config: dict):
        self.server = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT", 25))
        self.tls = str(config.get("MAIL_USE_TLS", "")).lower() in ("1", "true", "yes")
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD", "")
        self.sender = config["MAIL_SENDER"]
        self.timeout = float(config.get("MAIL_TIMEOUT_SECONDS", 10))

    def message(self, mail: Outgoing) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        # The same id on every attempt: a relay or a mailbox can tell a repeat.
        domain = self.sender.rpartition("@")[2] or "localhost"
        message["Message-ID"] = f"<outbox-{mail.id}@{domain}>"
        message.set_content(mail.body)
        return message

    @contextmanager
    def connect(self) -> Iterator[Send]:
        with smtplib.SMTP(self.server, self.port, timeout=self.timeout) as smtp:
            if self.tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)

            def send(mail: Outgoing) -> None:
                try:
                    smtp.send_message(self.message(mail))
                except smtplib.SMTPRecipientsRefused as refused:
                    codes = [code for code, _text in refused.recipients.values()]
                    if codes and all(code >= 500 for code in codes):
                        raise PermanentFailure(str(refused.recipients)) from refused
                    raise

            yield send


def transport_for(config: dict):
    return SmtpTransport(config) if config.get("MAIL_SERVER") else LogTransport()


# The session's key for the mails its transaction queued: their commit wakes the courier.
OUTBOX = "outbox"


def note_queued(session, mails: list) -> None:
    """Note mails made due in the session's transaction: its commit wakes the courier."""
    session.info.setdefault(OUTBOX, []).extend(mails)


def add_to_outbox(session, to: str, subject: str, body: str) -> OutboxMail:
    """A pending row in the caller's transaction (mail.queue_mails is the way in)."""
    row = OutboxMail(
        to=to, subject=subject[:300], body=body, status=PENDING, next_attempt_at=utcnow()
    )
    session.add(row)
    return row


def claim_due(runner: str, now: datetime, limit: int = BATCH) -> list[Outgoing]:
    """Lease up to `limit` due rows to `runner` and commit: the rows a dead runner leased are
    due again once its lease has run out."""
    from sharing.core.dbsetup import background_writer

    with background_writer():
        due = (
            select(OutboxMail)
            .where(
                OutboxMail.status == PENDING,
                OutboxMail.next_attempt_at <= now,
                (OutboxMail.lease_until.is_(None)) | (OutboxMail.lease_until <= now),
            )
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list(db.session.scalars(due))
        until = now + LEASE
        for row in rows:
            row.leased_by = runner
            row.lease_until = until
        claimed = [Outgoing(r.id, r.to, r.subject, r.body, until) for r in rows]
        db.session.commit()
    return claimed


def _finish(mail_id: int, runner: str, values: dict) -> bool:
    """Write the attempt's outcome if the lease is still the runner's (else another runner has
    taken the row over: nothing is written)."""
    from sharing.core.dbsetup import background_writer

    with background_writer():
        done = db.session.execute(
            update(OutboxMail)
            .where(
                OutboxMail.id == mail_id,
                OutboxMail.leased_by == runner,
                OutboxMail.status == PENDING,
            )
            .values(attempts=OutboxMail.attempts + 1, leased_by=None, lease_until=None, **values)
        )
        db.session.commit()
    return done.rowcount == 1


def mark_sent(mail_id: int, runner: str, now: datetime) -> bool:
    return _finish(mail_id, runner, {"status": SENT, "sent_at": now, "next_attempt_at": None})


def mark_attempt_failed(mail_id: int, runner: str, now: datetime, error: str, final: bool) -> bool:
    row = db.session.get(OutboxMail, mail_id)
    db.session.rollback()
    retry_at = None if final or row is None else next_attempt(row.attempts + 1, row.created_at, now)
    values = {"last_error": error[:2000], "next_attempt_at": retry_at}
    if retry_at is None:
        values["status"] = FAILED
    return _finish(mail_id, runner, values)


SAFETY_MARGIN = timedelta(seconds=30)


def deliver_due(
    config: dict,
    runner: str,
    now: datetime | None = None,
    clock: Callable[[], datetime] | None = None,
    limit: int = BATCH,
) -> int:
    """Claim the due mails and send them; returns how many were sent. `now` (the round's
    time) and `clock` (the time of each step) are given by tests; a round of a given time
    records its attempts at that time."""
    if clock is None:
        clock = utcnow if now is None else (lambda: now)
    now = now or clock()
    claimed = claim_due(runner, now, limit)
    if not claimed:
        return 0
    transport = transport_for(config)
    sent = 0
    margin = SAFETY_MARGIN + timedelta(seconds=float(config.get("MAIL_TIMEOUT_SECONDS", 10)))
    remaining = list(claimed)
    try:
        with transport.connect() as send:
            while remaining:
                mail = remaining[0]
                # A send may take up to the timeout: stop while the lease is surely still ours.
                if clock() + margin >= mail.lease_until:
                    return sent
                try:
                    send(mail)
                except PermanentFailure as refused:
                    remaining.pop(0)
                    mark_attempt_failed(mail.id, runner, clock(), str(refused), final=True)
                    continue
                remaining.pop(0)
                if mark_sent(mail.id, runner, clock()):
                    sent += 1
    except (OSError, smtplib.SMTPException) as error:
        # The server is down or broke off: every mail not yet sent waits for its next attempt.
        reason = f"{type(error).__name__}: {error}"
        log.warning("mail server unavailable (%s); %d mail(s) wait", reason, len(remaining))
        for mail in remaining:
            mark_attempt_failed(mail.id, runner, clock(), reason, final=False)
    return sent


def retry(mail_id: int, now: datetime | None = None) -> OutboxMail:
    """An admin's retry: a failed (or waiting) mail is due at once; a sent one is refused."""
    from sharing.core.errors import Conflict, NotFound
    from sharing.core.locking import lock_row

    row = db.session.get(OutboxMail, mail_id)
    if row is None:
        raise NotFound("No mail %(id)s in the outbox.", {"id": mail_id})
    row = lock_row(row)
    if row.status == SENT:
        raise Conflict("The mail has been sent.", code="invalid_state", status=row.status)
    row.status = PENDING
    row.next_attempt_at = now or utcnow()
    db.session.flush()
    # The courier sleeps until a commit queues mail: a retried mail is queued mail, due now.
    note_queued(db.session, [row])
    return row


def list_mails(status: str | None, page: int, per_page: int):
    from sharing.core.pagination import paginate

    statement = select(OutboxMail).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
    if status:
        statement = statement.where(OutboxMail.status == status)
    return paginate(statement, page, per_page)


def counts() -> dict[str, int]:
    rows = db.session.execute(
        select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
    ).all()
    found = dict.fromkeys(STATUSES, 0)
    found.update(dict(rows))
    return found


def oldest_pending(now: datetime | None = None) -> float:
    """Seconds the oldest pending mail has waited (0 when none waits)."""
    oldest = db.session.scalar(
        select(func.min(OutboxMail.created_at)).where(OutboxMail.status == PENDING)
    )
    if oldest is None:
        return 0.0
    if oldest.tzinfo is None:  # min() over SQLite's text bypasses the column type
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return max(((now or utcnow()) - oldest).total_seconds(), 0.0)
