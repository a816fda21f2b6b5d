"""Money helpers: one rounding rule, two-decimal strings (reading amounts: test_numbers)."""

from decimal import Decimal

import pytest

from sharing.util.money import format_money, to_money


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.005", "1.01"), ("1.004", "1.00"), ("2.5", "2.50"), (3, "3.00"), ("-0.005", "-0.01")],
)
def test_to_money_rounds_half_up_to_the_fen(value, expected):
    assert format_money(to_money(value)) == expected


def test_budgets_read_as_people_say_them():

    from sharing.util.formatting import format_budget

    assert format_budget(Decimal("1500000.00"), chinese=True) == "150 万元"
    assert format_budget(Decimal("1234567.00"), chinese=True) == "123.4567 万元"
    assert format_budget(Decimal("8000.00"), chinese=True) == "8000 元"
    assert format_budget(Decimal("1500000.00"), chinese=False) == "¥1,500,000"
    assert format_budget(Decimal("1500.50"), chinese=False) == "¥1,500.50"
