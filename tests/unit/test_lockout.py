"""The lockout rule: five wrong passwords in a row rest the account for fifteen minutes."""

from datetime import UTC, datetime, timedelta

from sharing.auth.lockout import LOCKOUT_PERIOD, MAX_FAILED_LOGINS, after_failure, is_locked

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def test_failures_below_the_limit_only_count():
    for failed in range(1, MAX_FAILED_LOGINS):
        assert after_failure(failed, NOW) == (failed, None)


def test_the_fifth_failure_locks_and_restarts_the_count():
    assert after_failure(MAX_FAILED_LOGINS, NOW) == (0, NOW + LOCKOUT_PERIOD)
    assert timedelta(minutes=15) == LOCKOUT_PERIOD


def test_a_lock_holds_until_its_end_exclusive():
    end = NOW + LOCKOUT_PERIOD
    assert not is_locked(None, NOW)
    assert is_locked(end, NOW)
    assert is_locked(end, end - timedelta(microseconds=1))
    assert not is_locked(end, end)
