"""Funding accounts (api.md "Money as the region pays it"): open one, approve its members, see
what was charged to it; bookings and orders name one with `account_id`."""

from __future__ import annotations

from sharing.api.base import Blueprint
from sharing.api.schemas.funding import (
    AccountDetailSchema,
    AccountInSchema,
    AccountListSchema,
    AccountSchema,
    MemberInSchema,
    MemberSchema,
    UsableArgs,
)
from sharing.billing.services.accounts import account_total, account_usage
from sharing.core.errors import BadRequest
from sharing.core.session import require_actor
from sharing.funding import services
from sharing.orgs.services import get_organisation

bp = Blueprint("api_funding", __name__, description="Funding accounts and their members")


@bp.post("/accounts")
@bp.arguments(AccountInSchema)
@bp.response(201, AccountSchema)
def open_account(body):
    """An organisation's manager (or an admin) opens an account for its holder, the PI."""
    organisation = get_organisation(body["organisation"])
    if organisation is None:
        raise BadRequest(
            "No organisation '%(slug)s'.",
            {"slug": body["organisation"]},
            fields={"organisation": ["unknown"]},
        )
    return services.open_account(require_actor(), organisation, body)


@bp.get("/accounts")
@bp.response(200, AccountListSchema)
def list_accounts():
    """Accounts you hold or belong to (managers: their organisation's; admins: all)."""
    return {"items": services.list_accounts(require_actor())}


@bp.get("/accounts/usable")
@bp.arguments(UsableArgs, location="query")
@bp.response(200, AccountListSchema)
def usable_accounts(args):
    """The accounts you may charge on a day (today), the one you used last first."""
    return {"items": services.usable_accounts(require_actor(), args["on"])}


@bp.get("/accounts/<int:account_id>")
@bp.response(200, AccountDetailSchema)
def get_account(account_id: int):
    account = services.get_account(require_actor(), account_id)
    usage = account_usage(account)
    account.usage, account.charged = usage, account_total(usage)
    return account


@bp.post("/accounts/<int:account_id>/members")
@bp.arguments(MemberInSchema)
@bp.response(201, MemberSchema)
def add_member(body, account_id: int):
    """The holder approves a colleague of the organisation to charge the account."""
    actor = require_actor()
    return services.add_member(actor, services.get_account(actor, account_id), body["user_id"])


@bp.delete("/accounts/<int:account_id>/members/<int:user_id>")
@bp.response(204)
def remove_member(account_id: int, user_id: int):
    actor = require_actor()
    services.remove_member(actor, services.get_account(actor, account_id), user_id)
    return ""
