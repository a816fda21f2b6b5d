"""Faults and safety issues that users report, and the upkeep log that managers keep: each open
fault shows on the instrument until a manager resolves it, and may become a downtime at once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import exists, or_, select

from sharing.assessment.models import (
    REPORTED_BY_USERS,
    Incident,
    IncidentKind,
    IncidentStatus,
)
from sharing.auth.models import User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.bookings.services import add_downtime
from sharing.core.errors import Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument, managed_instruments
from sharing.instruments.models import Instrument
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Order
from sharing.util.timeutil import utcnow

# Orders whose samples the lab has had in hand: their customers have used the instrument.
ORDERS_IN_HAND = (
    OrderStatus.RECEIVED,
    OrderStatus.IN_ANALYSIS,
    OrderStatus.DELIVERED,
    OrderStatus.COMPLETED,
)


def has_used(user: User, instrument: Instrument) -> bool:
    """A session of the user on it that took place, or an order of the user's organisation."""
    session = exists().where(
        Booking.instrument_id == instrument.id,
        Booking.user_id == user.id,
        or_(Booking.status == BookingStatus.COMPLETED, Booking.checked_in_at.is_not(None)),
    )
    order = exists().where(
        Order.instrument_id == instrument.id,
        Order.customer_org_id == user.organisation_id,
        Order.status.in_(ORDERS_IN_HAND),
    )
    return bool(db.session.scalar(select(or_(session, order))))


def may_report(user: User, instrument: Instrument, kind: IncidentKind) -> bool:
    if can_manage_instrument(user, instrument):
        return True
    return kind in REPORTED_BY_USERS and has_used(user, instrument)


def report_incident(
    actor: User,
    instrument: Instrument,
    kind: IncidentKind,
    description: str,
    next_due_on: date | None = None,
) -> Incident:
    """Log a fault or safety issue (anyone who used the instrument), or maintenance and
    calibration (its managers); upkeep is a record, resolved as it is written."""
    if not may_report(actor, instrument, kind):
        if kind in REPORTED_BY_USERS:
            raise Forbidden("Faults are reported by people who have used this instrument.")
        raise Forbidden("Maintenance and calibration are logged by the instrument's managers.")
    now = utcnow()
    upkeep = kind not in REPORTED_BY_USERS
    incident = Incident(
        instrument_id=instrument.id,
        kind=kind,
        description=description.strip(),
        reported_by_id=actor.id,
        created_at=now,
        next_due_on=next_due_on if kind == IncidentKind.CALIBRATION else None,
        status=IncidentStatus.RESOLVED if upkeep else IncidentStatus.OPEN,
        resolved_by_id=actor.id if upkeep else None,
        resolved_at=now if upkeep else None,
    )
    db.session.add(incident)
    db.session.flush()
    return incident


def get_incident(actor: User | None, incident_id: int) -> Incident:
    incident = db.session.get(Incident, incident_id)
    if incident is None:
        raise NotFound("No incident %(id)s.", {"id": incident_id})
    return incident


def _require_manager(actor: User, incident: Incident) -> None:
    if not can_manage_instrument(actor, incident.instrument):
        raise Forbidden("Only the instrument's managers resolve its incidents.")


def _require_open(incident: Incident) -> None:
    if incident.status != IncidentStatus.OPEN:
        raise Conflict(
            "This incident is resolved already.",
            code="invalid_state",
            status=incident.status.value,
        )


def resolve_incident(actor: User, incident: Incident, resolution: str) -> Incident:
    _require_manager(actor, incident)
    lock_row(incident)  # two managers resolving at once: the second sees it resolved
    _require_open(incident)
    incident.status = IncidentStatus.RESOLVED
    incident.resolution = resolution.strip()
    incident.resolved_by_id = actor.id
    incident.resolved_at = utcnow()
    db.session.flush()
    return incident


def take_out_of_service(actor: User, incident: Incident, start: datetime, end: datetime):
    """The open fault becomes a downtime of its instrument; returns the downtime and the
    bookings it hits (the managers then cancel them as for any downtime)."""
    _require_manager(actor, incident)
    lock_row(incident)
    _require_open(incident)
    if incident.downtime_id is not None:
        raise Conflict("This incident has its downtime already.", code="duplicate")
    downtime, affected = add_downtime(
        actor, incident.instrument, start, end, reason=incident.description[:300]
    )
    incident.downtime_id = downtime.id
    db.session.flush()
    return downtime, affected


def list_incidents(instrument: Instrument, limit: int = 50) -> list[Incident]:
    """Open ones first, then the log, newest first."""
    return list(
        db.session.scalars(
            select(Incident)
            .where(Incident.instrument_id == instrument.id)
            .order_by(
                (Incident.status == IncidentStatus.OPEN).desc(),
                Incident.created_at.desc(),
                Incident.id.desc(),
            )
            .limit(limit)
        )
    )


def open_incidents_for(manager: User, limit: int = 20) -> list[Incident]:
    return list(
        db.session.scalars(
            select(Incident)
            .where(
                Incident.status == IncidentStatus.OPEN,
                Incident.instrument_id.in_(managed_instruments(manager)),
            )
            .order_by(Incident.created_at.desc())
            .limit(limit)
        )
    )


def last_calibration(instrument: Instrument) -> Incident | None:
    return db.session.scalar(
        select(Incident)
        .where(Incident.instrument_id == instrument.id, Incident.kind == IncidentKind.CALIBRATION)
        .order_by(Incident.created_at.desc(), Incident.id.desc())
        .limit(1)
    )
