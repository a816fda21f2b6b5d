"""Funding accounts: open one, approve its members, and check it may pay for a request.

Never commit. Adding a member locks the account and re-reads it; the unique keys on the code
and on (account, member) stand behind "once" when two requests race.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation, readable
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.funding.access import can_approve_members, can_open_accounts, can_see_account
from sharing.funding.models import AccountMember, FundingAccount
from sharing.funding.rules import AccountTerms, refusal
from sharing.orgs.models import Organisation
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow

NOT_USABLE = "account_not_usable"
REFUSALS = {
    "unknown": readable("No funding account %(id)s that you may charge."),
    "other_organisation": readable("Account %(code)s belongs to another organisation."),
    "not_member": readable("You are not a member of account %(code)s; ask its holder."),
    "not_yet_valid": readable("Account %(code)s is valid from %(from)s."),
    "lapsed": readable("Account %(code)s lapsed on %(until)s."),
}
# People who book and order for their organisation, and so may hold or charge an account.
CHARGING_ROLES = (Role.RESEARCHER, Role.MANAGER, Role.ENTERPRISE)


def _active_user(user_id: int, organisation_id: int, field: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise BadRequest("No active user %(id)s.", {"id": user_id}, fields={field: ["unknown"]})
    if user.organisation_id != organisation_id or user.role not in CHARGING_ROLES:
        raise BadRequest(
            "%(name)s is not a member of the account's organisation.",
            {"name": user.name},
            fields={field: ["other organisation"]},
        )
    return user


def open_account(actor: User, organisation: Organisation, data: dict) -> FundingAccount:
    """A manager of the organisation (or an admin) opens an account for its holder (the PI)."""
    if not can_open_accounts(actor, organisation.id):
        raise Forbidden("Only the organisation's managers open its funding accounts.")
    holder = _active_user(data["holder_id"], organisation.id, "holder_id")
    valid_from = data.get("valid_from")
    if valid_from is not None and data["valid_until"] < valid_from:
        raise BadRequest(
            "An account must be valid until after it starts.",
            fields={"valid_until": ["before valid_from"]},
        )
    account = FundingAccount(
        organisation_id=organisation.id,
        code=data["code"].strip(),
        name=data["name"].strip(),
        holder_id=holder.id,
        valid_from=valid_from,
        valid_until=data["valid_until"],
        created_by_id=actor.id,
    )
    account.members.append(AccountMember(user_id=holder.id, approved_by_id=actor.id))
    try:
        with db.session.begin_nested():
            db.session.add(account)
    except IntegrityError:
        raise Conflict(
            "The organisation has an account %(code)s already.",
            code="duplicate",
            params={"code": data["code"].strip()},
        ) from None
    return account


def get_account(actor: User, account_id: int) -> FundingAccount:
    """An account its holder, members, the organisation's managers and admins may read."""
    account = db.session.get(FundingAccount, account_id)
    if account is None or not can_see_account(actor, account):
        raise NotFound("No funding account %(id)s.", {"id": account_id})
    return account


def list_accounts(actor: User) -> list[FundingAccount]:
    """Admins: every account; managers: their organisation's; everyone: those they belong to."""
    statement = (
        select(FundingAccount)
        .options(selectinload(FundingAccount.members), selectinload(FundingAccount.holder))
        .order_by(FundingAccount.valid_until.desc(), FundingAccount.code)
    )
    if not is_admin(actor):
        member_of = select(AccountMember.account_id).where(AccountMember.user_id == actor.id)
        scope = FundingAccount.id.in_(member_of)
        if actor.role == Role.MANAGER:
            scope = or_(scope, FundingAccount.organisation_id == actor.organisation_id)
        statement = statement.where(scope)
    return list(db.session.scalars(statement))


def add_member(actor: User, account: FundingAccount, user_id: int) -> AccountMember:
    """The holder approves a colleague of the same organisation; each person once (409)."""
    if not can_approve_members(actor, account):
        raise Forbidden("Only the account's holder approves its members.")
    lock_row(account)
    user = _active_user(user_id, account.organisation_id, "user_id")
    already = Conflict(
        "%(name)s is a member already.", code="duplicate", params={"name": user.name}
    )
    if any(member.user_id == user.id for member in account.members):
        raise already
    member = AccountMember(account_id=account.id, user_id=user.id, approved_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        raise already from None  # the key: a request that raced past the re-read
    return member


def remove_member(actor: User, account: FundingAccount, user_id: int) -> None:
    """The holder withdraws someone's right to charge the account (what they charged stays)."""
    if not can_approve_members(actor, account):
        raise Forbidden("Only the account's holder approves its members.")
    lock_row(account)
    if user_id == account.holder_id:
        raise Conflict("The holder stays a member of the account.", code="invalid_state")
    member = next((m for m in account.members if m.user_id == user_id), None)
    if member is None:
        raise NotFound("User %(id)s is not a member of the account.", {"id": user_id})
    account.members.remove(member)
    db.session.flush()


def _terms(account: FundingAccount) -> AccountTerms:
    return AccountTerms(
        account.organisation_id,
        account.valid_from,
        account.valid_until,
        frozenset(member.user_id for member in account.members),
    )


def require_usable(user: User, account_id: int, days: list[date]) -> FundingAccount:
    """The account `user` may charge on each of `days`, else 422 `account_not_usable` with the
    reason; another organisation's account is refused as unknown, never named."""
    account = db.session.get(FundingAccount, account_id)
    colleague = account is not None and account.organisation_id == user.organisation_id
    if account is None or not (colleague or can_see_account(user, account)):
        reason, params = "unknown", {"id": account_id}
    else:
        reason = refusal(_terms(account), user.id, user.organisation_id, days)
        params = {
            "code": account.code,
            "from": account.valid_from.isoformat() if account.valid_from else "",
            "until": account.valid_until.isoformat(),
        }
    if reason is None:
        return account
    message = REFUSALS[reason]
    raise RuleViolation(
        message,
        params,
        violations=[{"code": NOT_USABLE, "reason": reason, "message": message % params}],
    )


def note_use(account: FundingAccount, user: User, at: datetime | None = None) -> None:
    """Remember when the member last charged it: the forms offer the last used first."""
    for member in account.members:
        if member.user_id == user.id:
            member.last_used_at = at or utcnow()


def usable_accounts(user: User, on: date | None = None) -> list[FundingAccount]:
    """The accounts `user` may charge on `on` (today), the one used last first."""
    on = on or local_today()
    rows = db.session.scalars(
        select(FundingAccount)
        .join(AccountMember, AccountMember.account_id == FundingAccount.id)
        .where(
            AccountMember.user_id == user.id,
            FundingAccount.organisation_id == user.organisation_id,
            or_(FundingAccount.valid_from.is_(None), FundingAccount.valid_from <= on),
            FundingAccount.valid_until >= on,
        )
        .order_by(AccountMember.last_used_at.desc().nulls_last(), FundingAccount.code)
    )
    return list(rows)
