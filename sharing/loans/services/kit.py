"""An instrument's kit: the components checked at handover and the operators who go with it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sharing.auth.models import User
from sharing.core.errors import BadRequest, Conflict, Forbidden
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument
from sharing.loans.models import Component, Operator


def _managed(actor: User, instrument: Instrument) -> None:
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("Only the instrument's managers keep its kit.")


def _flush_once(message: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict(message, code="duplicate") from None


def add_component(
    actor: User, instrument: Instrument, name: str, serial: str, required: bool = True
) -> Component:
    _managed(actor, instrument)
    component = Component(
        instrument_id=instrument.id, name=name.strip(), serial=serial.strip(), required=required
    )
    db.session.add(component)
    _flush_once("The instrument already has a component with this serial number.")
    return component


def list_components(instrument: Instrument) -> list[Component]:
    return list(
        db.session.scalars(
            select(Component).where(Component.instrument_id == instrument.id).order_by(Component.id)
        )
    )


def add_operator(actor: User, instrument: Instrument, user_id: int, day_rate: Decimal) -> Operator:
    """Staff of the owner (or the platform's) who go with the gear."""
    _managed(actor, instrument)
    person = db.session.get(User, user_id)
    if person is None or not person.active or person.organisation_id != instrument.organisation_id:
        raise BadRequest(
            "No active staff member %(id)s of the owner.",
            {"id": user_id},
            fields={"user_id": ["unknown user"]},
        )
    operator = Operator(instrument_id=instrument.id, user_id=person.id, day_rate=day_rate)
    db.session.add(operator)
    _flush_once("This person already goes with this instrument.")
    return operator


def list_operators(instrument: Instrument) -> list[Operator]:
    return list(
        db.session.scalars(
            select(Operator).where(Operator.instrument_id == instrument.id).order_by(Operator.id)
        )
    )
