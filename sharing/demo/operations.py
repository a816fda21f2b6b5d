"""The demo's mail and background work: the mails its story queued were delivered when it
happened (none goes out when the demo is loaded), two to an address the institute's relay
refused have failed and wait for an admin's retry, and the no-show sweep has a run on record."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from sharing.core.jobs import OK, record_run
from sharing.core.outbox import FAILED, PENDING, SENT, OutboxMail
from sharing.extensions import db
from sharing.util.timeutil import utcnow

REFUSED = (
    "SMTPRecipientsRefused: {'%s': (550, b'5.1.1 Mailbox unavailable')}",
    "SMTPServerDisconnected: Connection unexpectedly closed",
)


def seed_operations(existing, created) -> None:
    """Settle the demo's queued mail (once), and show a failed pair in the outbox."""
    now = utcnow()
    settled = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.status == PENDING)
        .values(status=SENT, sent_at=OutboxMail.created_at, attempts=1, next_attempt_at=None)
    ).rowcount
    created["delivered mails"] += settled or 0
    if db.session.scalar(select(OutboxMail.id).where(OutboxMail.status == FAILED).limit(1)):
        existing["failed mails"] += 2
        return
    sent = db.session.scalars(
        select(OutboxMail).where(OutboxMail.status == SENT).order_by(OutboxMail.id).limit(2)
    ).all()
    for row, error in zip(sent, REFUSED, strict=False):
        row.status = FAILED
        row.sent_at = None
        row.attempts = 14
        row.last_error = error % row.to if "%s" in error else error
        created["failed mails"] += 1
    record_run("no_show_sweep", "demo:worker", now - timedelta(minutes=1), now, OK, 1)
