"""Days from forms and query strings: YYYY-MM-DD in ASCII digits, in the platform's years."""

from datetime import date

import pytest

from sharing.util.inputs import FIRST_DAY, LAST_DAY, day_or_none, parse_day


def test_a_plain_day_is_read():
    assert parse_day("2026-12-03") == date(2026, 12, 3)
    assert parse_day(" 2026-12-03 ") == date(2026, 12, 3)
    assert parse_day(str(FIRST_DAY)) == FIRST_DAY and parse_day(str(LAST_DAY)) == LAST_DAY


@pytest.mark.parametrize(
    "text",
    [
        "",
        "9999-12-31",  # the last day Python has: a range ending there cannot go one day on
        "0001-01-01",
        "1969-12-31",
        "2200-01-01",
        "20261203",  # date.fromisoformat takes these three
        "2026-W49-4",
        "２０２６-12-03",
        "2026-02-30",
        "2026-12-03T00:00:00",
        "\x00",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_day(text)
    assert day_or_none(text) is None
