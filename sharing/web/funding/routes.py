"""Funding account pages: the accounts one holds, belongs to or (managers) keeps for the
organisation; opening one; an account's members and what each charged to it per month."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from sharing.auth.models import User
from sharing.billing.services.accounts import account_total, account_usage
from sharing.core.errors import BadRequest
from sharing.extensions import db
from sharing.funding import services
from sharing.funding.access import can_approve_members, can_open_accounts
from sharing.funding.services import CHARGING_ROLES
from sharing.util.inputs import day_or_none
from sharing.util.numbers import count_or_none
from sharing.web.forms import run_step

bp = Blueprint("funding", __name__)


def _colleagues(organisation_id: int) -> list[User]:
    """Who may hold or charge an account of the organisation."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.active.is_(True),
                User.role.in_(CHARGING_ROLES),
            )
            .order_by(User.name)
        )
    )


def _date(name: str) -> date | None:
    return day_or_none(request.form.get(name, ""))


@bp.get("/accounts")
@login_required
def accounts():
    """The reader's accounts; a manager also opens new ones for the organisation here."""
    opens = can_open_accounts(current_user, current_user.organisation_id)
    return render_template(
        "funding/accounts.html",
        accounts=services.list_accounts(current_user),
        colleagues=_colleagues(current_user.organisation_id) if opens else [],
        opens=opens,
    )


@bp.post("/accounts")
@login_required
def open_account():
    def act():
        holder_id = count_or_none(request.form.get("holder_id", ""))
        valid_from, valid_until = _date("valid_from"), _date("valid_until")
        code, name = request.form.get("code", "").strip(), request.form.get("name", "").strip()
        if not (holder_id and valid_until and code and name) or len(code) > 60 or len(name) > 200:
            raise BadRequest("Enter the code, the name, the holder and the last valid day.")
        data = {
            "code": code,
            "name": name,
            "holder_id": holder_id,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
        return services.open_account(current_user, current_user.organisation, data)

    account = run_step(act, lambda opened: _("Account %(code)s opened.", code=opened.code))
    if account is None:
        return redirect(url_for("funding.accounts"))
    return redirect(url_for("funding.account", account_id=account.id))


@bp.get("/accounts/<int:account_id>")
@login_required
def account(account_id: int):
    """Members and what each charged to the account, month by month."""
    found = services.get_account(current_user, account_id)
    usage = account_usage(found)
    approves = can_approve_members(current_user, found)
    members = {member.user_id for member in found.members}
    return render_template(
        "funding/account.html",
        account=found,
        usage=usage,
        total=account_total(usage),
        months=sorted({use.month for use in usage}, reverse=True),
        approves=approves,
        candidates=[user for user in _colleagues(found.organisation_id) if user.id not in members]
        if approves
        else [],
    )


@bp.post("/accounts/<int:account_id>/members")
@login_required
def add_member(account_id: int):
    found = services.get_account(current_user, account_id)
    user_id = count_or_none(request.form.get("user_id", "")) or 0
    run_step(
        lambda: services.add_member(current_user, found, user_id),
        lambda member: _("%(name)s may charge the account.", name=member.user.name),
    )
    return redirect(url_for("funding.account", account_id=account_id))


@bp.post("/accounts/<int:account_id>/members/<int:user_id>/remove")
@login_required
def remove_member(account_id: int, user_id: int):
    found = services.get_account(current_user, account_id)
    run_step(
        lambda: services.remove_member(current_user, found, user_id),
        _("The member no longer charges the account."),
    )
    return redirect(url_for("funding.account", account_id=account_id))
