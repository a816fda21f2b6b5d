"""What input may reach the services and the database at all: one set of rules for every face.

Text never carries NUL or other control characters (PostgreSQL refuses NUL outright, the rest
end up raw in calendar feeds and CSV files); days lie in the years the platform serves; JSON is
nested only as deep as any real request needs. Numbers are read by `numbers`. Pure: no Flask,
no database.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sharing.util.timeutil import EARLIEST, LATEST

# C0 controls but tab, line feed and carriage return; DEL; C1 controls; the Unicode line and
# paragraph separators (calendar and CSV readers break lines on them).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MAX_JSON_DEPTH = 20
MAX_SAMPLES = 10_000
# The days a record may name: those of the years the platform serves (timeutil), so that
# ranges and deadlines can add days and weeks to them (past 9999-12-31 Python has no day).
FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date() - timedelta(days=1)


def has_forbidden_characters(text: str) -> bool:
    """True when `text` carries a control character that no field of ours accepts."""
    return FORBIDDEN_CHARACTERS.search(text) is not None


def strip_line_controls(text: str) -> str:
    """`text` on one line: every control character and line separator becomes a space."""
    return LINE_CONTROLS.sub(" ", text)


def day_in_range(day: date) -> date:
    """`day` itself when it lies between FIRST_DAY and LAST_DAY; ValueError otherwise."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"not a day between {FIRST_DAY} and {LAST_DAY}")
    return day


def parse_day(text: str) -> date:
    """A day written YYYY-MM-DD in ASCII digits, between FIRST_DAY and LAST_DAY; ValueError
    otherwise (`date.fromisoformat` also takes week dates and digits without dashes)."""
    cleaned = (text or "").strip()
    if not ISO_DAY.fullmatch(cleaned):
        raise ValueError("not a day written YYYY-MM-DD")
    return day_in_range(date.fromisoformat(cleaned))


def day_or_none(text: str) -> date | None:
    """`parse_day`, with None where the text is not such a day."""
    try:
        return parse_day(text)
    except ValueError:
        return None


def json_depth_exceeds(value: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def walk_strings(value: object):
    """Every string in a JSON value, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
