"""The one reader of each kind of number that comes from outside: money, rates, quantities,
counts, ids and years. Every face (the API's fields, the pages' form fields and query
arguments) reads its numbers through these, so each rule holds in one place.

What they refuse, and why: Python's `int()` and `Decimal()` read full-width digits (`"２０２６"`),
signs, underscores, spaces and exponents (`"1e3"` is a thousand yuan nobody wrote); a JSON float
has lost its exactness before we see it; rounding a rate of `"0.123456"` to four places pays a
subsidy nobody set. Each parser takes ASCII digits only, no exponent, no float, and refuses
what it would otherwise round. Pure: no Flask, no database.
"""

from __future__ import annotations

import re
from decimal import Decimal

# The money columns are NUMERIC(14, 2): twelve digits before the point.
MAX_AMOUNT = Decimal("999999999999.99")
# Primary keys and counts are PostgreSQL integers.
MAX_INTEGER = 2**31 - 1
# The years the platform serves (timeutil.EARLIEST..LATEST).
FIRST_YEAR, LAST_YEAR = 1970, 2199

ASCII_DIGITS = re.compile(r"[0-9]+")
_EXACT_MONEY = re.compile(r"(-?)([0-9]{1,12})\.([0-9]{2})")
_WRITTEN_MONEY = re.compile(r"(-?)([0-9]{1,12})(?:\.([0-9]{1,2}))?")
_DECIMAL = re.compile(r"([0-9]{1,15})(?:\.([0-9]{1,15}))?")


class NumberError(ValueError):
    """A number written in a way this platform does not read; the message says how to write it."""


def _text(value, what: str) -> str:
    """`value` when it is a string; numbers of JSON (ints, floats, booleans) are refused."""
    if not isinstance(value, str):
        raise NumberError(f'{what} is written as a string, such as "{_EXAMPLES[what]}"')
    return value.strip()


_EXAMPLES = {"an amount": "1280.00", "a rate": "0.10", "a quantity": "1.5"}


def parse_money(
    value, *, exact: bool = True, allow_negative: bool = False, positive: bool = False
) -> Decimal:
    """An amount in yuan written as a string: exactly two decimals (`exact`, the API's form,
    "1280.00"), or at most two where a person types it into a page ("1280", "1280.5").

    Within what the money columns hold; negative only when `allow_negative`; above zero when
    `positive`.
    """
    text = _text(value, "an amount")
    match = (_EXACT_MONEY if exact else _WRITTEN_MONEY).fullmatch(text)
    if match is None:
        if exact:
            raise NumberError('an amount is written with two decimals, such as "1280.00"')
        raise NumberError("an amount is written in digits with at most two decimals")
    amount = Decimal(text).quantize(Decimal("0.01"))
    if amount.copy_abs() > MAX_AMOUNT:
        raise NumberError("the amount is larger than the platform can hold")
    if amount < 0 and not allow_negative:
        raise NumberError("an amount cannot be negative")
    if positive and amount <= 0:
        raise NumberError("the amount must be above zero")
    return amount


def parse_decimal(value, places: int, maximum: Decimal, what: str = "a quantity") -> Decimal:
    """A non-negative decimal written as a string with at most `places` decimals, up to
    `maximum`: quantities, shares and rates."""
    text = _text(value, what)
    match = _DECIMAL.fullmatch(text)
    if match is None:
        raise NumberError(f"{what} is written in digits, such as {_EXAMPLES[what]!r}")
    if match.group(2) and len(match.group(2)) > places:
        raise NumberError(f"{what} has at most {places} decimals")
    number = Decimal(text)
    if number > maximum:
        raise NumberError(f"{what} is at most {maximum}")
    return number


def parse_rate(value, places: int = 4) -> Decimal:
    """A rate or share between 0 and 1 written as a string with at most `places` decimals
    ("0.10"), never rounded."""
    return parse_decimal(value, places, Decimal(1), "a rate")


def format_rate(rate: Decimal) -> str:
    """A rate as answers write it: at least two decimals, no more than it holds ("0.10",
    "0.1234")."""
    exponent = rate.normalize().as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    return f"{rate:.{places}f}"


def parse_count(text: str, maximum: int = MAX_INTEGER) -> int:
    """A whole number 0..maximum written in ASCII digits (a query string, a form field);
    NumberError otherwise. `int()` also takes full-width digits, signs, underscores and spaces.
    """
    cleaned = (text or "").strip()
    if not ASCII_DIGITS.fullmatch(cleaned) or len(cleaned) > len(str(maximum)):
        raise NumberError("not a whole number written in digits")
    number = int(cleaned)
    if number > maximum:
        raise NumberError(f"a number of at most {maximum}")
    return number


def count_or_none(text: str, maximum: int = MAX_INTEGER) -> int | None:
    """`parse_count`, with None where the text is not such a number."""
    try:
        return parse_count(text, maximum)
    except NumberError:
        return None


def json_integer(value, minimum: int = 0, maximum: int = MAX_INTEGER) -> int:
    """A whole number as JSON carries it: an integer, never a string, float or boolean."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise NumberError("a whole number is written as a JSON integer, such as 12")
    if not minimum <= value <= maximum:
        raise NumberError(f"a number between {minimum} and {maximum}")
    return value


def parse_year(value) -> int:
    """A year FIRST_YEAR..LAST_YEAR: a JSON integer, or four ASCII digits in a query or form."""
    year = parse_count(value, LAST_YEAR) if isinstance(value, str) else json_integer(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise NumberError(f"a year between {FIRST_YEAR} and {LAST_YEAR}")
    return year


def year_or_none(text: str | None) -> int | None:
    """`parse_year` of a query or form value, with None where it is not such a year."""
    try:
        return parse_year(text or "")
    except NumberError:
        return None
