"""What a person's role lets them do across the platform: the one place roles are compared."""

from __future__ import annotations

from sharing.auth.models import Role, User


def _is(user: User | None, *roles: Role) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.role in roles


def is_admin(user: User | None) -> bool:
    """A platform admin: sees and manages everything."""
    return _is(user, Role.ADMIN)


def is_manager(user: User | None) -> bool:
    """An instrument manager of one organisation."""
    return _is(user, Role.MANAGER)


def is_enterprise_user(user: User | None) -> bool:
    return _is(user, Role.ENTERPRISE)


def can_manage_any(user: User | None) -> bool:
    """Whether the user manages some organisation's catalog at all (managers and admins)."""
    return _is(user, Role.ADMIN, Role.MANAGER)


def own_organisation_scope(user: User) -> int | None:
    """The organisation a scoped list is limited to: None for admins (every one), else the
    user's own."""
    return None if is_admin(user) else user.organisation_id


def can_set_card(actor: User | None, person: User) -> bool:
    """Campus cards are issued by the person's organisation: its managers set them, and admins."""
    if is_admin(actor):
        return True
    return is_manager(actor) and actor.organisation_id == person.organisation_id
