"""Who may manage what: one predicate each, used by views, API and templates alike."""

from __future__ import annotations

from sqlalchemy import Select, false, select

from sharing.auth.models import Role, User
from sharing.instruments.models import Instrument


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


def managed_instruments(user: User) -> Select:
    """SQL: ids of the instruments of a manager's organisation (none for anyone else).

    The scope that matches `can_manage_instrument` for managers; admins manage every instrument,
    and each list decides for itself whether an admin sees all of them.
    """
    if user.role != Role.MANAGER:
        return select(Instrument.id).where(false())
    return select(Instrument.id).where(Instrument.organisation_id == user.organisation_id)
