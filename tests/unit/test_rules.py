"""Rule shapes: open windows, clock parsing, customer categories, defaults of domain.md."""

from decimal import Decimal

import pytest

from sharing.instruments.rules import (
    DEFAULT_BILLING,
    DEFAULT_RULES,
    CustomerCategory,
    OpenWindow,
    customer_category,
    format_minute,
    parse_minute,
)


def test_defaults_are_those_of_the_domain_brief():
    assert (DEFAULT_RULES.slot_minutes, DEFAULT_RULES.min_minutes, DEFAULT_RULES.max_minutes) == (
        30,
        30,
        480,
    )
    assert (DEFAULT_RULES.notice_hours, DEFAULT_RULES.horizon_days) == (2, 90)
    assert DEFAULT_RULES.buffer_minutes == 0
    assert DEFAULT_RULES.open_hours == ()
    assert DEFAULT_BILLING.increment_minutes == 30
    assert DEFAULT_BILLING.late_cancel_share == Decimal("0.50")


@pytest.mark.parametrize(
    ("text", "minute"), [("00:00", 0), ("08:30", 510), ("23:59", 1439), ("24:00", 1440)]
)
def test_parse_and_format_minute_round_trip(text, minute):
    assert parse_minute(text) == minute
    assert format_minute(minute) == text


@pytest.mark.parametrize("text", ["24:01", "25:00", "8", "08:60", "ab:cd", "", None])
def test_parse_minute_refuses_non_times(text):
    with pytest.raises(ValueError):
        parse_minute(text)


def test_window_length_including_past_midnight():
    assert OpenWindow(0, 8 * 60, 20 * 60).length_minutes == 720
    assert OpenWindow(4, 20 * 60, 2 * 60).length_minutes == 360
    assert OpenWindow(6, 0, 1440).length_minutes == 1440


@pytest.mark.parametrize(
    ("weekday", "start", "end"), [(7, 0, 60), (-1, 0, 60), (0, 1440, 60), (0, 0, 1441)]
)
def test_window_refuses_impossible_values(weekday, start, end):
    with pytest.raises(ValueError):
        OpenWindow(weekday, start, end)


@pytest.mark.parametrize(
    ("booker_org", "is_enterprise", "owner_org", "expected"),
    [
        (1, False, 1, CustomerCategory.INTERNAL),
        (1, True, 1, CustomerCategory.INTERNAL),  # a company booking its own instrument
        (2, False, 1, CustomerCategory.ACADEMIC),
        (3, True, 1, CustomerCategory.ENTERPRISE),
    ],
)
def test_customer_category(booker_org, is_enterprise, owner_org, expected):
    assert customer_category(booker_org, is_enterprise, owner_org) == expected


def test_group_open_days_collapses_runs_of_equal_days():
    from sharing.instruments.rules import group_open_days

    weekdays = tuple(OpenWindow(day, 480, 1200) for day in range(5))
    assert group_open_days(weekdays) == [(0, 4, "08:00–20:00")]
    split = (OpenWindow(0, 480, 720), OpenWindow(0, 780, 1200), OpenWindow(2, 480, 720))
    assert group_open_days(split) == [(0, 0, "08:00–12:00, 13:00–20:00"), (2, 2, "08:00–12:00")]
    assert group_open_days(()) == []
