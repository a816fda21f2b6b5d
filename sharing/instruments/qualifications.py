"""Who is qualified on an instrument: the grants managers give and take back, and a user's
standing (qualified, lapsed or none) that booking and training read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.core.errors import Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow


def qualification_of(user: User, instrument: Instrument) -> QualifiedUser | None:
    """The user's grant on the instrument, valid or lapsed."""
    return db.session.get(QualifiedUser, {"instrument_id": instrument.id, "user_id": user.id})


def training_standing(user: User, instrument: Instrument, now: datetime) -> str:
    """ "qualified" (or no training needed), "expired" (a grant that lapsed) or "none"."""
    if not instrument.requires_training or can_manage_instrument(user, instrument):
        return "qualified"
    grant = qualification_of(user, instrument)
    if grant is None:
        return "none"
    return "qualified" if grant.is_valid(now) else "expired"


def is_qualified(user: User, instrument: Instrument, now: datetime | None = None) -> bool:
    """Whether `user` may book an instrument that requires training."""
    return training_standing(user, instrument, now or utcnow()) == "qualified"


def list_qualified_users(instrument: Instrument) -> list[QualifiedUser]:
    statement = (
        select(QualifiedUser)
        .where(QualifiedUser.instrument_id == instrument.id)
        .options(joinedload(QualifiedUser.user))
        .order_by(QualifiedUser.granted_at)
    )
    return list(db.session.scalars(statement))


def add_qualified_user(actor: User, instrument: Instrument, user_id: int) -> QualifiedUser:
    """Authorise a trained user to book the instrument."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No user %(id)s.", {"id": user_id})
    key = {"instrument_id": instrument.id, "user_id": user.id}
    if db.session.get(QualifiedUser, key) is not None:
        raise Conflict(
            "%(name)s is qualified already.", code="duplicate", params={"name": user.name}
        )
    grant = QualifiedUser(**key, granted_by_id=actor.id)
    db.session.add(grant)
    db.session.flush()
    return grant


def remove_qualified_user(actor: User, instrument: Instrument, user_id: int) -> None:
    """Withdraw a user's authorisation."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    grant = db.session.get(QualifiedUser, {"instrument_id": instrument.id, "user_id": user_id})
    if grant is None:
        raise NotFound("That user is not qualified on this instrument.")
    lock_row(grant)  # a concurrent removal committed first: NotFound, not a second delete
    db.session.delete(grant)
    db.session.flush()
