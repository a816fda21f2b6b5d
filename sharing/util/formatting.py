"""Values as people read them: local times, yuan, the name in the reader's language.

Low in the house: features' mails and the pages both use these, and they know nothing of views.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale

from sharing.util.money import to_money


def platform_zone() -> ZoneInfo:
    """The platform's time zone (SHARING_TIMEZONE, read once when the app was created)."""
    return current_app.config["PLATFORM_ZONE"]


def local_today(now: datetime | None = None) -> date:
    """The date it is in the platform zone."""
    from sharing.util.timeutil import utcnow

    return (now or utcnow()).astimezone(platform_zone()).date()


def localized(obj, field: str = "name") -> str:
    """The English text of `field` when English is chosen and present, else the Chinese."""
    if str(get_locale()) == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def format_local(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC instant as wall time in the platform zone."""
    if moment is None:
        return ""
    return moment.astimezone(platform_zone()).strftime(pattern)


def format_budget(amount: Decimal | None, chinese: bool) -> str:
    """A budget as people say it: 150 万元 or 2.5 亿元 in Chinese, ¥1,500,000 in English."""
    if amount is None:
        return ""
    money = to_money(amount)
    if not chinese:
        return f"¥{money:,.0f}" if money == money.to_integral_value() else format_yuan(money)
    if money >= 100_000_000:  # one unit per figure: 2.5 亿元, never 25000 万元
        yi = (money / 100_000_000).normalize()
        return f"{yi:f} 亿元"
    if money >= 10_000:
        wan = (money / 10_000).normalize()
        return f"{wan:f} 万元"
    return f"{money.normalize():f} 元"


def format_yuan(amount: Decimal | None) -> str:
    """¥1,280.00"""
    if amount is None:
        return ""
    return f"¥{to_money(amount):,.2f}"


def plain_number(value: Decimal) -> str:
    """A quantity as people write it: 2.5, 3, 0.75 (never 2.5000 or 1E+2)."""
    return f"{value.normalize():f}"
