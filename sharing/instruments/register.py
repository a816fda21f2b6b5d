"""The national register's fields of an instrument (大型科研仪器 reporting), pure.

The category code is the national classification's: six digits (class, subclass, group, two
each, e.g. 030101), or eight where a further level is used. The country of origin is an ISO
3166-1 alpha-2 code, named in the reader's language from CLDR (babel).
"""

from __future__ import annotations

import enum
import re
from functools import cache

from babel import Locale

NATIONAL_CODE = re.compile(r"\d{6}(?:\d{2})?")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# CLDR's two-letter territories that are no country (the EU, the UN, the Eurozone, unknown).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO"})


class InstrumentSource(enum.StrEnum):
    PURCHASED = "purchased"
    DONATED = "donated"
    SELF_MADE = "self_made"


class ShareMode(enum.StrEnum):
    OPEN = "open"  # 对外开放共享
    INTERNAL = "internal"  # 仅内部共享
    NONE = "none"  # 不共享


@cache
def countries(locale: str = "zh") -> dict[str, str]:
    """ISO code -> the country's name in `locale`."""
    names = Locale.parse(locale).territories
    return {
        code: name
        for code, name in names.items()
        if COUNTRY_CODE.fullmatch(code) and code not in NOT_COUNTRIES
    }


def country_name(code: str, locale: str = "zh") -> str:
    return countries(locale).get(code, code)


def normal_country(text: str) -> str:
    return text.strip().upper()


def register_problems(fields: dict) -> dict[str, list[str]]:
    """What is wrong with the register fields given (each left out is not checked)."""
    problems: dict[str, list[str]] = {}
    code = fields.get("national_code")
    if code and not NATIONAL_CODE.fullmatch(code):
        problems["national_code"] = ["six or eight digits of the national classification"]
    country = fields.get("country_of_origin")
    if country and normal_country(country) not in countries():
        problems["country_of_origin"] = ["an ISO 3166-1 alpha-2 code, e.g. CN, DE, US"]
    return problems
