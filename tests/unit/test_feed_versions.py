"""Feed version times: whole seconds that only ever rise."""

from datetime import UTC, datetime, timedelta

from sharing.core.feedversions import next_version_time

NOW = datetime(2026, 12, 1, 8, 0, 0, 700000, tzinfo=UTC)


def test_first_version_is_now_truncated():
    assert next_version_time(None, NOW) == NOW.replace(microsecond=0)


def test_a_change_in_the_same_second_moves_one_second_on():
    first = next_version_time(None, NOW)
    second = next_version_time(first, NOW + timedelta(milliseconds=200))
    assert second == first + timedelta(seconds=1)


def test_never_backwards_even_if_the_clock_is():
    previous = NOW + timedelta(seconds=10)
    assert next_version_time(previous, NOW) == previous.replace(microsecond=0) + timedelta(
        seconds=1
    )


def test_a_later_change_takes_the_clock():
    assert next_version_time(NOW, NOW + timedelta(minutes=5)) == (
        NOW + timedelta(minutes=5)
    ).replace(microsecond=0)


def test_answer_cache_is_bounded_and_least_recently_used_goes_first():
    from sharing.core.answercache import AnswerCache

    cache = AnswerCache(limit=10)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # a is now the most recent
    cache.put("c", b"1234")  # 12 bytes > 10: b goes
    assert cache.get("b") is None and cache.get("a") == b"1234" and cache.get("c") == b"1234"
    cache.put("huge", b"x" * 11)
    assert cache.get("huge") is None and cache.size == 8
    cache.clear()
    assert cache.get("a") is None and cache.size == 0
