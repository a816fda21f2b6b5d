"""Exactly once: every state change locks what it changes and re-reads it before deciding.

PostgreSQL: `SELECT ... FOR UPDATE` on the row (or a transaction-scoped advisory lock for things
that have no row yet, such as a month that is not closed). A second request waits for the first
to commit and then sees the state it left, so it answers 409 instead of changing it again.
SQLite: every write request already holds the database's write lock from its first statement
(BEGIN IMMEDIATE, see `dbsetup`), so the re-read alone is enough there.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, inspect, select

from sharing.core.errors import NotFound
from sharing.extensions import db

T = TypeVar("T")

# First keys of pg_advisory_xact_lock, one namespace per kind of lock.
INSTRUMENT_BOOKINGS = 7301
BILLING_MONTH = 7302
VOUCHER_CAPS = 7303
LOAN_OPERATORS = 7304  # an operator's days, across the instruments they go with


def is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def lock_row(instance: T) -> T:
    """Re-read `instance` under a row lock held until the transaction ends; NotFound if gone.

    Call it before looking at the state a decision depends on: what was loaded earlier in the
    request may be stale by the time the lock is granted. The lock is taken on the bare row
    (eager joins cannot be locked), then the object is read again in full.
    """
    state = inspect(instance)
    columns = state.mapper.primary_key
    lock = (
        select(*columns)
        .where(*(column == value for column, value in zip(columns, state.identity, strict=True)))
        .with_for_update()
    )
    if db.session.execute(lock).first() is None:
        # Deleted by a concurrent request that committed first.
        raise NotFound("It no longer exists.")
    # Expired first, so that collections loaded before the lock are read again after it.
    db.session.expire(instance)
    db.session.refresh(instance)
    return instance


def advisory_lock_of(namespace, key, shared: bool = False):
    """SQL that takes the transaction-scoped lock on (namespace, key) when evaluated (PostgreSQL):
    run alone by `advisory_lock`, or as a column of the statement that reads what it guards."""
    function = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
    return function(namespace, key)


def advisory_lock(namespace: int, key: int, shared: bool = False) -> None:
    """Hold a transaction-scoped lock on (namespace, key): exclusive, or shared among readers."""
    if not is_postgresql():
        return
    db.session.execute(select(advisory_lock_of(namespace, key, shared)))
