"""Reminders, each claimed once across servers: the features' jobs find what is due and send it
through these two helpers.

Several servers may sweep at once: each reminder is claimed by an UPDATE that only succeeds
while its mark is empty, so exactly one transaction sends it (a second one waits for the row,
then finds the mark set). The mail and its notice leave with that transaction's commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import update

from sharing.auth.models import User
from sharing.core.mail import mail_in_their_language, queue_mails
from sharing.extensions import db

BATCH = 200  # reminders of one kind sent per round; the rest wait for the next


def claim(model, mark, row_id: int, now: datetime, *still) -> bool:
    """Set the row's mark if nobody has (and the row still meets `still`, conditions read
    again under the row's lock): True for the one transaction that did."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == row_id, mark.is_(None), *still)
        .values({mark.key: now})
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def send_reminder(person: User, kind: str, compose: Callable[[], tuple[str, list[str]]]) -> None:
    """Mail `person` in their language (the notice follows the mail)."""
    queue_mails(db.session, [replace(mail_in_their_language(person, compose), kind=kind)])
