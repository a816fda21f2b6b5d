"""Idempotency keys: a POST retried with the same key gets the first answer, never a second run.

The claim row is committed before the request runs, so a concurrent repeat finds it (and waits
or answers 409 `in_progress`); the answer is written into it afterwards and kept 24 hours.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from sharing.core.dbtypes import UTCDateTime
from sharing.core.errors import BadRequest, Conflict
from sharing.extensions import db
from sharing.util.timeutil import utcnow

KEPT_FOR = timedelta(hours=24)
HEADER = "Idempotency-Key"
VALID_KEY = re.compile(r"[\x21-\x7e]{1,64}")


class IdempotencyKey(db.Model):
    """One client key of one caller (a user, or an instrument's agent): the request's
    fingerprint and, once made, its answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),
        UniqueConstraint("agent_id", "key", name="uq_idempotency_keys_agent_key"),
        CheckConstraint("(user_id IS NULL) <> (agent_id IS NULL)", name="one_caller"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None
    )
    # An agent's keys (the plumbing knows no feature: the id alone; agents are never deleted).
    agent_id: Mapped[int | None] = mapped_column(Integer, default=None)
    key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer, default=None)
    content_type: Mapped[str | None] = mapped_column(String(100), default=None)
    body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    content_type: str
    body: bytes


def check_key(key: str) -> str:
    """The key if it is 1-64 visible ASCII characters; 400 otherwise."""
    if not VALID_KEY.fullmatch(key):
        raise BadRequest(
            "Idempotency-Key is 1 to 64 visible ASCII characters.",
            fields={HEADER: ["1-64 visible ASCII characters"]},
        )
    return key


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """What makes two requests the same request."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class KeyOwner:
    """Whose keys: a user's, or an instrument agent's (each keeps its own)."""

    user_id: int | None = None
    agent_id: int | None = None

    def owns(self):
        """SQL: the keys of this owner."""
        if self.agent_id is not None:
            return IdempotencyKey.agent_id == self.agent_id
        return IdempotencyKey.user_id == self.user_id


def claim(owner: KeyOwner, key: str, print_: str, now: datetime) -> int | StoredAnswer | None:
    """Claim the key for a first run (its row id), or the stored answer of the first run, or
    None while the first run is still going. Commits: the claim must be seen by others at once.
    """
    db.session.execute(
        delete(IdempotencyKey).where(owner.owns(), IdempotencyKey.created_at < now - KEPT_FOR)
    )
    row = IdempotencyKey(
        user_id=owner.user_id,
        agent_id=owner.agent_id,
        key=key,
        fingerprint=print_,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
        db.session.commit()
        return row.id
    except IntegrityError:
        db.session.rollback()
    return stored_answer(owner, key, print_)


def stored_answer(owner: KeyOwner, key: str, print_: str) -> StoredAnswer | None:
    """The first run's answer, None while it runs; 409 for the same key with another request."""
    row = db.session.scalar(select(IdempotencyKey).where(owner.owns(), IdempotencyKey.key == key))
    db.session.rollback()  # end the read: on SQLite it holds the write lock the first run needs
    if row is None:
        return None
    if row.fingerprint != print_:
        raise Conflict(
            "This Idempotency-Key was used for another request.", code="idempotency_mismatch"
        )
    if row.status_code is None:
        return None
    return StoredAnswer(row.status_code, row.content_type or "application/json", row.body or b"")


def record_answer(claim_id: int, answer: StoredAnswer | None) -> None:
    """Keep the first run's answer in the request's transaction; without one (a server error)
    free the key for a retry. The request's commit point commits it."""
    row = db.session.get(IdempotencyKey, claim_id)
    if row is None:
        return
    if answer is None:
        db.session.delete(row)
    else:
        row.status_code = answer.status_code
        row.content_type = answer.content_type[:100]
        row.body = answer.body
