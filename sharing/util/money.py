"""Money helpers, pure: one rounding rule and one text form for every amount (amounts from
outside are read by `numbers.parse_money`)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def to_money(value) -> Decimal:
    """Round to the fen, half up: the platform's only rounding rule for amounts."""
    try:
        return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def format_money(value: Decimal) -> str:
    """The JSON form: a string with exactly two decimals."""
    return f"{to_money(value):.2f}"
