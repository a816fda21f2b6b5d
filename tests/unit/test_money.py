"""Money helpers: one rounding rule, two-decimal strings, no floats."""

from decimal import Decimal

import pytest

from sharing.util.money import format_money, parse_money, to_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.005", "1.01"), ("1.004", "1.00"), ("2.5", "2.50"), (3, "3.00"), ("-0.005", "-0.01")],
)
def test_to_money_rounds_half_up_to_the_fen(value, expected):
    assert format_money(to_money(value)) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("800", "800.00"), ("1280.5", "1280.50"), (12, "12.00")]
)
def test_parse_money_accepts_exact_amounts(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.001", "-1", "abc", "NaN", "Infinity", 1.5, ""])
def test_parse_money_refuses_inexact_negative_or_float(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_credits_may_be_negative_but_never_inexact():
    assert parse_money("-120.50", allow_negative=True) == Decimal("-120.50")
    with pytest.raises(ValueError):
        parse_money("-1.005", allow_negative=True)


def test_budgets_read_as_people_say_them():
    from decimal import Decimal

    from sharing.util.formatting import format_budget

    assert format_budget(Decimal("1500000.00"), chinese=True) == "150 万元"
    assert format_budget(Decimal("1234567.00"), chinese=True) == "123.4567 万元"
    assert format_budget(Decimal("8000.00"), chinese=True) == "8000 元"
    assert format_budget(Decimal("1500000.00"), chinese=False) == "¥1,500,000"
    assert format_budget(Decimal("1500.50"), chinese=False) == "¥1,500.50"
