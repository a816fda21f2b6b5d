"""Money helpers, pure: one rounding rule and one text form for every amount."""

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


# The money columns are NUMERIC(14, 2): twelve digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")


def parse_money(text, allow_negative: bool = False) -> Decimal:
    """Parse an amount that must already be exact to the fen (and not negative, unless allowed).

    ASCII digits only (Decimal also reads full-width ones), and no larger than the columns hold.
    """
    if isinstance(text, float):
        raise ValueError("amounts are strings or integers, never floats")
    cleaned = str(text).strip()
    if not cleaned.isascii():
        raise ValueError(f"not an amount: {text!r}")
    try:
        value = Decimal(cleaned)
    except (ArithmeticError, ValueError) as exc:  # Overflow for exponents beyond the context
        raise ValueError(f"not an amount: {text!r}") from exc
    if not value.is_finite() or value.copy_abs() > MAX_AMOUNT:  # abs() may overflow
        raise ValueError("not an amount the platform can hold")
    if value != value.quantize(FEN):
        raise ValueError("an amount has at most two decimals")
    if value < 0 and not allow_negative:
        raise ValueError("an amount cannot be negative")
    return value.quantize(FEN)
