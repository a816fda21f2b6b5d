"""Cells for CSV and spreadsheet exports that Excel shows as text, never runs as formulas."""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralise(value: object) -> object:
    """`value`, with a leading apostrophe where text would start a formula (OWASP's advice).

    Numbers, negative amounts included, stay numbers.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    return [neutralise(value) for value in values]
