"""Pure time helpers: parsing, zones, half-open intervals."""

from datetime import UTC, datetime, timedelta

import pytest

from sharing.util.timeutil import (
    Interval,
    TimeFormatError,
    format_datetime,
    load_zone,
    parse_datetime,
)

SHANGHAI = load_zone("Asia/Shanghai")
BERLIN = load_zone("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01T09:00:00+08:00", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
        ("2026-12-01T01:00:00Z", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
        ("2026-12-01T01:00:00z", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
        ("2026-12-01T09:00:00", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),  # platform zone
        ("2026-12-01T03:00:00+02:00", datetime(2026, 12, 1, 1, 0, tzinfo=UTC)),
    ],
)
def test_parse_datetime_reads_offsets_and_defaults_to_platform_zone(text, expected):
    assert parse_datetime(text, SHANGHAI) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "2026-13-01T00:00:00",
        "12:00",
        None,
        5,
        "0001-01-01T00:00:00",  # found by the API fuzzer: overflowed when moved to UTC
        "9999-12-31T23:59:59-12:00",
        "1969-12-31T23:59:59Z",
        "2200-01-01T00:00:00Z",
    ],
)
def test_parse_datetime_refuses_garbage(text):
    with pytest.raises(TimeFormatError):
        parse_datetime(text, SHANGHAI)


def test_parse_datetime_accepts_the_edges_of_its_range():
    assert parse_datetime("1970-01-01T00:00:00Z", SHANGHAI).year == 1970
    assert parse_datetime("2199-12-31T23:59:59Z", SHANGHAI).year == 2199


def test_naive_time_follows_daylight_saving_in_the_platform_zone():
    winter = parse_datetime("2026-01-15T09:00:00", BERLIN)
    summer = parse_datetime("2026-07-15T09:00:00", BERLIN)
    assert (winter.hour, summer.hour) == (8, 7)


def test_format_datetime_uses_platform_offset_without_microseconds():
    moment = datetime(2026, 12, 1, 1, 0, 0, 123456, tzinfo=UTC)
    assert format_datetime(moment, SHANGHAI) == "2026-12-01T09:00:00+08:00"


def test_unknown_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        load_zone("Mars/Olympus")


NOON = datetime(2026, 12, 1, 12, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("a", "b", "overlaps"),
    [
        ((NOON - H, NOON), (NOON, NOON + H), False),  # touching ends do not collide
        ((NOON - H, NOON + timedelta(seconds=1)), (NOON, NOON + H), True),
        ((NOON, NOON + 2 * H), (NOON + H / 2, NOON + H), True),  # containment
        ((NOON, NOON + H), (NOON, NOON + H), True),  # identical
        ((NOON, NOON + H), (NOON + 2 * H, NOON + 3 * H), False),
    ],
)
def test_half_open_overlap(a, b, overlaps):
    first, second = Interval(*a), Interval(*b)
    assert first.overlaps(second) is overlaps
    assert second.overlaps(first) is overlaps


def test_interval_must_end_after_start():
    with pytest.raises(ValueError):
        Interval(NOON, NOON)


def test_contains_and_duration():
    outer = Interval(NOON, NOON + 3 * H)
    assert outer.contains(Interval(NOON, NOON + H))
    assert not outer.contains(Interval(NOON - H, NOON + H))
    assert outer.duration == 3 * H
