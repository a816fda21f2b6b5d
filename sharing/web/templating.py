"""Jinja filters and globals: values reach templates ready to show."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

from sharing.challenges.models import ChallengeField
from sharing.instruments.rules import format_minute
from sharing.markdown import render_markdown
from sharing.money import to_money
from sharing.web import labels
from sharing.web.i18n import LANGUAGES


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
    return moment.astimezone(current_app.config["PLATFORM_ZONE"]).strftime(pattern)


def format_yuan(amount: Decimal | None) -> str:
    """¥1,280.00"""
    if amount is None:
        return ""
    return f"¥{to_money(amount):,.2f}"


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["localtime"] = format_local
    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["format_minute"] = format_minute
    app.jinja_env.globals.update(
        kind_labels=labels.KIND_LABELS,
        role_labels=labels.ROLE_LABELS,
        status_labels=labels.STATUS_LABELS,
        category_labels=labels.CATEGORY_LABELS,
        unit_labels=labels.UNIT_LABELS,
        weekday_labels=labels.WEEKDAY_LABELS,
        booking_status_labels=labels.BOOKING_STATUS_LABELS,
        booking_status_styles=labels.BOOKING_STATUS_STYLES,
        challenge_field_labels=labels.CHALLENGE_FIELD_LABELS,
        challenge_status_labels=labels.CHALLENGE_STATUS_LABELS,
        challenge_status_styles=labels.CHALLENGE_STATUS_STYLES,
        application_status_labels=labels.APPLICATION_STATUS_LABELS,
        charge_kind_labels=labels.CHARGE_KIND_LABELS,
        order_status_labels=labels.ORDER_STATUS_LABELS,
    )
    app.jinja_env.filters["webcal"] = lambda url: "webcal://" + url.split("://", 1)[1]
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text))
    app.jinja_env.filters["challenge_field_label"] = lambda value: str(
        labels.CHALLENGE_FIELD_LABELS[ChallengeField(value)]
    )
