"""Who may open, run and charge a funding account: one place for pages, API and services."""

from __future__ import annotations

from sharing.auth.access import is_admin
from sharing.instruments.access import can_manage_organisation


def can_open_accounts(user, organisation_id: int) -> bool:
    """An organisation's managers (its finance contact on the platform) and admins."""
    return can_manage_organisation(user, organisation_id)


def can_approve_members(user, account) -> bool:
    """The holder decides who charges the grant; admins may step in."""
    return is_admin(user) or account.holder_id == getattr(user, "id", None)


def can_see_account(user, account) -> bool:
    """Holder, members, the organisation's managers and admins."""
    user_id = getattr(user, "id", None)
    return (
        can_approve_members(user, account)
        or can_manage_organisation(user, account.organisation_id)
        or any(member.user_id == user_id for member in account.members)
    )
