"""The sign-in lockout rule: after too many wrong passwords in a row an account rests a while."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILED_LOGINS = 5
LOCKOUT_PERIOD = timedelta(minutes=15)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    """True while a lockout that ends at `locked_until` is still running."""
    return locked_until is not None and now < locked_until


def after_failure(failed_logins: int, now: datetime) -> tuple[int, datetime | None]:
    """The counter and lock end after one more wrong password (`failed_logins` counts it)."""
    if failed_logins >= MAX_FAILED_LOGINS:
        return 0, now + LOCKOUT_PERIOD
    return failed_logins, None
