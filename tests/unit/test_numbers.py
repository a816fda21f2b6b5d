"""The one reader of each kind of number: what each takes and what it refuses, with the
hostile list (NUL, full-width digits, exponents, floats, 23-digit numbers, negative, empty)."""

from decimal import Decimal

import pytest

from sharing.util.numbers import (
    NumberError,
    format_rate,
    json_integer,
    parse_count,
    parse_decimal,
    parse_money,
    parse_rate,
    parse_year,
    year_or_none,
)

HOSTILE_TEXT = [
    "",
    " ",
    "1\x000",
    "１２",  # full-width digits, which int() and Decimal() read
    "1e3",
    "1E3",
    "NaN",
    "Infinity",
    "-0.5",
    "+1",
    "1_000",
    "12345678901234567890123",  # 23 digits
    "0x10",
    "1,000",
]
NOT_STRINGS = [1.5, 1000, True, None, [], {}]


@pytest.mark.parametrize("value", ["1280.00", "0.01", "999999999999.99", "0.00"])
def test_money_is_two_decimals_in_a_string(value):
    assert parse_money(value) == Decimal(value)


@pytest.mark.parametrize(
    "value",
    [*HOSTILE_TEXT, *NOT_STRINGS, "1280", "1280.5", "1280.005", "1000000000000.00", "-1.00"],
)
def test_money_refuses_everything_else(value):
    with pytest.raises(NumberError):
        parse_money(value)


def test_a_person_may_type_fewer_decimals_on_a_page():
    assert parse_money("1280", exact=False) == Decimal("1280.00")
    assert parse_money("1280.5", exact=False) == Decimal("1280.50")
    for value in ("1280.505", "1e3", "１２", 12):
        with pytest.raises(NumberError):
            parse_money(value, exact=False)


def test_signs_and_zero():
    assert parse_money("-120.50", allow_negative=True) == Decimal("-120.50")
    with pytest.raises(NumberError):
        parse_money("-1.005", allow_negative=True)
    assert parse_money("0.00") == 0
    for zero_or_less in ("0.00", "-5.00"):
        with pytest.raises(NumberError, match=r"above zero|negative"):
            parse_money(zero_or_less, positive=True)


@pytest.mark.parametrize(
    ("value", "expected"), [("0.10", "0.10"), ("0.1234", "0.1234"), ("1", "1")]
)
def test_rates_are_read_as_written(value, expected):
    assert parse_rate(value) == Decimal(expected)


@pytest.mark.parametrize(
    "value", [*HOSTILE_TEXT, *NOT_STRINGS, "0.123456", "1.0001", "2", "０.１０"]
)
def test_rates_are_never_rounded_nor_read_loosely(value):
    with pytest.raises(NumberError):
        parse_rate(value)


def test_a_share_of_two_places_refuses_a_third():
    assert parse_rate("0.50", places=2) == Decimal("0.50")
    with pytest.raises(NumberError, match="at most 2 decimals"):
        parse_rate("0.505", places=2)


def test_rates_are_written_with_two_to_four_decimals():
    assert [format_rate(Decimal(x)) for x in ("0.1000", "0.1234", "1", "0.125")] == [
        "0.10",
        "0.1234",
        "1.00",
        "0.125",
    ]


def test_quantities():
    assert parse_decimal("1.5", 4, Decimal(100)) == Decimal("1.5")
    for value in ("1.23456", "101", "1e1", 1.5, "-1"):
        with pytest.raises(NumberError):
            parse_decimal(value, 4, Decimal(100))


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_counts_in_text_are_ascii_digits(value):
    with pytest.raises(NumberError):
        parse_count(value)


def test_counts_and_json_integers():
    assert parse_count("42") == 42 and parse_count(" 7 ") == 7
    with pytest.raises(NumberError):
        parse_count("2147483648")
    assert json_integer(12) == 12
    for value in ("12", 12.0, True, None, 2**31):
        with pytest.raises(NumberError):
            json_integer(value)


@pytest.mark.parametrize("value", [2026, "2026", "1970", "2199"])
def test_years_the_platform_serves(value):
    assert parse_year(value) == int(value)


@pytest.mark.parametrize(
    "value", ["２０２６", "1969", "2200", "26", "2026.0", 2026.0, True, "", "9999"]
)
def test_other_years_are_refused(value):
    with pytest.raises(NumberError):
        parse_year(value)
    if isinstance(value, str):
        assert year_or_none(value) is None
