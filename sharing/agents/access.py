"""Who may see and do what with agents and the sessions they report: one place for each."""

from __future__ import annotations

from sqlalchemy import Select, select

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.instruments.access import can_manage_instrument, managed_instruments
from sharing.instruments.models import Instrument


def can_manage_agents(actor: User | None, instrument: Instrument) -> bool:
    """An instrument's agents are registered, revoked and watched by its managers (and admins)."""
    return can_manage_instrument(actor, instrument)


def can_review_sessions(actor: User | None, instrument: Instrument) -> bool:
    """Unbooked use is billed or dismissed, forgotten check-outs ended, by the same people."""
    return can_manage_instrument(actor, instrument)


def reviewed_instruments(actor: User) -> Select:
    """SQL: ids of the instruments whose sessions the actor reviews (admins: every one)."""
    if is_admin(actor):
        return select(Instrument.id)
    return managed_instruments(actor)
