"""Jinja filters and globals: values reach templates ready to show."""

from __future__ import annotations

import re

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from sharing.assessment.labels import (
    ACHIEVEMENT_KIND_LABELS,
    ACHIEVEMENT_STATUS_LABELS,
    INCIDENT_KIND_LABELS,
    INCIDENT_STATUS_LABELS,
)
from sharing.auth.access import can_manage_any, is_admin, is_enterprise_user
from sharing.auth.labels import ROLE_LABELS
from sharing.billing.access import can_close_months
from sharing.billing.estimates import booking_estimate
from sharing.billing.labels import CHARGE_KIND_LABELS
from sharing.bookings.labels import BOOKING_STATUS_LABELS, BOOKING_STATUS_STYLES
from sharing.bookings.services import count_pending_for_manager
from sharing.challenges.labels import (
    APPLICATION_STATUS_LABELS,
    CHALLENGE_FIELD_LABELS,
    CHALLENGE_STATUS_LABELS,
    CHALLENGE_STATUS_STYLES,
    MILESTONE_STATUS_LABELS,
)
from sharing.challenges.models import ChallengeField
from sharing.instruments.labels import (
    CATEGORY_LABELS,
    QUANTITY_UNIT_LABELS,
    SHARE_MODE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    WEEKDAY_LABELS,
)
from sharing.instruments.register import country_name
from sharing.instruments.rules import format_minute
from sharing.loans.labels import (
    CONDITION_LABELS,
    DEPOSIT_STATUS_LABELS,
    LOAN_ACTION_LABELS,
    LOAN_STATUS_LABELS,
    OUTCOME_LABELS,
    QUOTE_LINE_LABELS,
)
from sharing.needs.access import is_staff
from sharing.needs.labels import (
    NEED_ACTION_LABELS,
    NEED_STATUS_LABELS,
    NEED_STATUS_STYLES,
    TRANSFER_KIND_LABELS,
)
from sharing.notices.messages import said_again
from sharing.notices.services import unread_count
from sharing.orders.labels import ORDER_STATUS_LABELS
from sharing.orgs.labels import ALLIANCE_KIND_LABELS, KIND_LABELS
from sharing.util.formatting import (
    format_budget,
    format_local,
    format_yuan,
    local_today,
    localized,
    plain_number,
)
from sharing.util.markdown import render_markdown
from sharing.vouchers.labels import CLAIM_STATUS_LABELS, REASON_LABELS
from sharing.web.i18n import LANGUAGES


def url_with(**changes) -> str:
    """The current page's URL with some query arguments changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    # The path's own arguments win over query arguments of the same name (?month= on a page
    # whose path names the month).
    return url_for(request.endpoint, **{**args, **(request.view_args or {})})


CHINESE = re.compile(r"[\u3400-\u9fff]")


def _chinese_on_english_page(text: str) -> bool:
    return str(get_locale()) != "zh" and bool(CHINESE.search(text))


def chinese_only(value) -> Markup:
    """Data kept only in Chinese, on an English page: marked lang="zh-CN" (screen readers read
    it as Chinese) with a small 中文 badge, so a reader knows it is no missing translation."""
    text = "" if value is None else str(value)
    if not _chinese_on_english_page(text):
        return Markup.escape(text)
    return Markup(
        '<span lang="zh-CN">{}</span> <span class="badge text-bg-light border fw-normal '
        'zh-only" title="Only in Chinese">中文</span>'
    ).format(text)


def chinese_lang(value) -> Markup:
    """Chinese data on an English page marked lang="zh-CN" only (no badge): for a card whose
    Chinese fields share one "(in Chinese)" note (see `chinese_on_english_page`)."""
    text = "" if value is None else str(value)
    if not _chinese_on_english_page(text):
        return Markup.escape(text)
    return Markup('<span lang="zh-CN">{}</span>').format(text)


def chinese_on_english_page(*values) -> bool:
    """Whether any of the values is kept only in Chinese and the page is English."""
    return any(value is not None and _chinese_on_english_page(str(value)) for value in values)


def quote_line_label(line) -> Markup:
    """A loan quote's line in the reader's language: the item's name (English where it has
    one) and what the line is (the gear's days, its mobilisation, its operator). The API keeps
    the line's stored `description`."""
    if not line.item:
        return chinese_only(line.description)
    english = str(get_locale()) != "zh" and line.item_en
    name = Markup.escape(line.item_en) if english else chinese_only(line.item)
    label = QUOTE_LINE_LABELS.get(line.kind)
    return Markup(str(label)) % {"item": name} if label else name


LOAN_CHARGE = re.compile(r"^(?P<item>.+) \(loan #(?P<loan>\d+)\)$", re.DOTALL)


def charge_text(text) -> Markup:
    """A charge's stored description said in the reader's language. Loan charges are stored
    as "<name> (loan #12)" for statements, exports and the API, which keep that text."""
    text = "" if text is None else str(text)
    found = LOAN_CHARGE.match(text)
    if not found:
        return chinese_only(text)
    return Markup(_("%(item)s (loan #%(id)s)")) % {
        "item": chinese_only(found["item"]),
        "id": found["loan"],
    }


def notice_line(text) -> Markup:
    """A notice in the reader's language: loan and cruise messages said again in it (see
    `sharing.notices.messages`); a mail's copy, stored in its addressee's language, marked as
    Chinese on an English page."""
    text = "" if text is None else str(text)
    again = said_again(text)
    return chinese_only(text) if again is None else Markup.escape(again)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["zh"] = chinese_only
    app.jinja_env.filters["quote_line"] = quote_line_label
    app.jinja_env.filters["zh_lang"] = chinese_lang
    app.jinja_env.globals["chinese_on_english_page"] = chinese_on_english_page
    app.jinja_env.filters["charge_text"] = charge_text
    app.jinja_env.filters["notice_text"] = notice_line
    app.jinja_env.filters["localized"] = localized
    app.jinja_env.filters["localtime"] = format_local
    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.filters["quantity"] = plain_number
    app.jinja_env.filters["budget"] = lambda amount: format_budget(
        amount, str(get_locale()) == "zh"
    )
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["format_minute"] = format_minute
    app.jinja_env.globals["today"] = local_today
    # What a booking costs at today's rates for its booker (cost before commitment).
    app.jinja_env.globals["booking_estimate"] = booking_estimate
    # Who may see what: the same predicates the views authorise with.
    app.jinja_env.globals.update(
        can_manage_any=can_manage_any,
        is_admin=is_admin,
        is_enterprise_user=is_enterprise_user,
        can_close_months=can_close_months,
    )
    app.jinja_env.globals.update(
        kind_labels=KIND_LABELS,
        role_labels=ROLE_LABELS,
        status_labels=STATUS_LABELS,
        category_labels=CATEGORY_LABELS,
        unit_labels=UNIT_LABELS,
        quantity_unit_labels=QUANTITY_UNIT_LABELS,
        weekday_labels=WEEKDAY_LABELS,
        booking_status_labels=BOOKING_STATUS_LABELS,
        booking_status_styles=BOOKING_STATUS_STYLES,
        challenge_field_labels=CHALLENGE_FIELD_LABELS,
        challenge_status_labels=CHALLENGE_STATUS_LABELS,
        challenge_status_styles=CHALLENGE_STATUS_STYLES,
        application_status_labels=APPLICATION_STATUS_LABELS,
        charge_kind_labels=CHARGE_KIND_LABELS,
        loan_status_labels=LOAN_STATUS_LABELS,
        loan_action_labels=LOAN_ACTION_LABELS,
        deposit_status_labels=DEPOSIT_STATUS_LABELS,
        condition_labels=CONDITION_LABELS,
        outcome_labels=OUTCOME_LABELS,
        order_status_labels=ORDER_STATUS_LABELS,
        source_labels=SOURCE_LABELS,
        share_mode_labels=SHARE_MODE_LABELS,
        country_name=country_name,
        incident_kind_labels=INCIDENT_KIND_LABELS,
        incident_status_labels=INCIDENT_STATUS_LABELS,
        achievement_kind_labels=ACHIEVEMENT_KIND_LABELS,
        achievement_status_labels=ACHIEVEMENT_STATUS_LABELS,
        need_status_labels=NEED_STATUS_LABELS,
        need_status_styles=NEED_STATUS_STYLES,
        need_action_labels=NEED_ACTION_LABELS,
        transfer_kind_labels=TRANSFER_KIND_LABELS,
        alliance_kind_labels=ALLIANCE_KIND_LABELS,
        milestone_status_labels=MILESTONE_STATUS_LABELS,
        is_staff=is_staff,
        claim_status_labels=CLAIM_STATUS_LABELS,
        voucher_reason_labels=REASON_LABELS,
    )
    app.jinja_env.globals["unread_notices"] = unread_count
    app.jinja_env.globals["requests_to_decide"] = count_pending_for_manager
    app.jinja_env.filters["webcal"] = lambda url: "webcal://" + url.split("://", 1)[1]
    app.jinja_env.filters["markdown"] = lambda text: Markup(render_markdown(text))
    app.jinja_env.filters["transfer_kind_label"] = lambda kind: str(TRANSFER_KIND_LABELS[kind])
    app.jinja_env.filters["challenge_field_label"] = lambda value: str(
        CHALLENGE_FIELD_LABELS[ChallengeField(value)]
    )
