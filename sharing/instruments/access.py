"""Who may manage what: one predicate each, used by views, API and templates alike."""

from __future__ import annotations

from sharing.auth.models import Role, User


def can_manage_organisation(user: User | None, organisation_id: int) -> bool:
    """Admins manage every organisation; managers only their own."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.MANAGER and user.organisation_id == organisation_id


def can_manage_instrument(user: User | None, instrument) -> bool:
    """True for the owning organisation's managers and for admins."""
    return can_manage_organisation(user, instrument.organisation_id)
