"""Cruises: publish one on a vessel's calendar, open its call, take it to sea and home, cancel
it. Load, decide (the pure modules), persist; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sharing.auth.models import User
from sharing.bookings.models import Downtime
from sharing.bookings.services.requesting import lock_instrument
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.core.pagination import Page, paginate
from sharing.cruises import equipment
from sharing.cruises.access import can_manage_cruise
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus, ShareBy, next_status
from sharing.cruises.models import VESSELS_CATEGORY, Cruise, CruiseApplication, Vessel
from sharing.cruises.schedule import day_window, first_held_day
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument
from sharing.notices.messages import leave_message
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow


@dataclass(frozen=True)
class CruisePlan:
    """What a vessel's manager publishes (POST /cruises)."""

    vessel_id: int
    name: str
    departs_on: date
    returns_on: date
    mobilisation_days: int
    port_from: str
    port_to: str
    area: str
    chief_scientist_id: int
    apply_by: date
    day_rate: Decimal
    share_by: ShareBy
    data_due_days: int = 60


@dataclass(frozen=True)
class CruiseQuery:
    status: CruiseStatus | None = None
    start: date | None = None  # cruises at sea or in port for it on or after this day
    end: date | None = None  # ... and on or before this one
    vessel_id: int | None = None
    page: int = 1
    per_page: int = 20


def cruise_url(cruise: Cruise) -> str:
    return f"/cruises/{cruise.id}"


def get_vessel(instrument_id: int) -> tuple[Instrument, Vessel]:
    """The instrument and its vessel record, or 400 naming `vessel_id` (it is a body field)."""
    instrument = db.session.get(Instrument, instrument_id)
    vessel = db.session.get(Vessel, instrument_id) if instrument is not None else None
    if vessel is None or instrument.category.slug != VESSELS_CATEGORY:
        raise BadRequest("No such vessel.", fields={"vessel_id": ["No such vessel."]})
    return instrument, vessel


def held_window(cruise: Cruise):
    """The vessel's hold: first mobilisation day to the last day at sea, whole local days."""
    first = first_held_day(cruise.departs_on, cruise.mobilisation_days)
    return day_window(first, cruise.back_on, platform_zone())


def _check_plan(plan: CruisePlan) -> None:
    fields = {}
    if plan.returns_on < plan.departs_on:
        fields["returns_on"] = ["The return is on or after the departure."]
    if plan.apply_by > plan.departs_on:
        fields["apply_by"] = ["Applications close on or before the departure."]
    if not plan.name.strip():
        fields["name"] = ["A cruise needs a name."]
    if db.session.get(User, plan.chief_scientist_id) is None:
        fields["chief_scientist_id"] = ["No such user."]
    if fields:
        raise BadRequest("The cruise has invalid fields.", fields=fields)


def publish_cruise(actor: User, plan: CruisePlan) -> Cruise:
    """A new cruise in `planning`, holding its vessel from the first mobilisation day to the
    return (409 `conflict` when anything else holds it then)."""
    instrument, _vessel = get_vessel(plan.vessel_id)
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("Only the vessel's managers publish its cruises.")
    _check_plan(plan)
    lock_instrument(instrument.id)
    first = first_held_day(plan.departs_on, plan.mobilisation_days)
    window = day_window(first, plan.returns_on, platform_zone())
    taken = equipment.conflicts_for([equipment.Item(instrument.id, False)], first, plan.returns_on)
    if taken:
        raise Conflict("The vessel is taken on some of these days.", conflicts=taken)
    hold = Downtime(
        instrument_id=instrument.id,
        start=window.start,
        end=window.end,
        reason=f"航次 {plan.name.strip()}"[:300],
        created_by_id=actor.id,
    )
    db.session.add(hold)
    db.session.flush()
    cruise = Cruise(
        vessel_id=instrument.id,
        name=plan.name.strip(),
        departs_on=plan.departs_on,
        returns_on=plan.returns_on,
        mobilisation_days=plan.mobilisation_days,
        port_from=plan.port_from,
        port_to=plan.port_to,
        area=plan.area,
        chief_scientist_id=plan.chief_scientist_id,
        apply_by=plan.apply_by,
        day_rate=plan.day_rate,
        share_by=plan.share_by,
        data_due_days=plan.data_due_days,
        downtime_id=hold.id,
        created_by_id=actor.id,
    )
    db.session.add(cruise)
    db.session.flush()
    return cruise


def get_cruise(cruise_id: int) -> Cruise:
    """Any cruise, for anyone signed in, or NotFound."""
    cruise = db.session.get(Cruise, cruise_id)
    if cruise is None:
        raise NotFound("No such cruise.")
    return cruise


def capacity_of(cruise: Cruise) -> Vessel:
    vessel = db.session.get(Vessel, cruise.vessel_id)
    if vessel is None:  # the vessel record is kept while cruises name it
        raise NotFound("The cruise's vessel is gone.")
    return vessel


def list_cruises(query: CruiseQuery) -> Page:
    """Cruises by departure, filtered by status and by days they touch (`from`, `to`)."""
    statement = select(Cruise).options(selectinload(Cruise.applications))
    if query.status is not None:
        statement = statement.where(Cruise.status == query.status)
    if query.start is not None:
        statement = statement.where(Cruise.returns_on >= query.start)
    if query.end is not None:
        statement = statement.where(Cruise.departs_on <= query.end)
    if query.vessel_id is not None:
        statement = statement.where(Cruise.vessel_id == query.vessel_id)
    statement = statement.order_by(Cruise.departs_on, Cruise.id)
    return paginate(statement, query.page, query.per_page)


def public_cruises() -> list[Cruise]:
    """Every cruise not cancelled, by departure: the public schedule and its calendar."""
    statement = (
        select(Cruise)
        .where(Cruise.status != CruiseStatus.CANCELLED)
        # The schedule names each cruise's vessel: one query for all, not one per cruise.
        .options(selectinload(Cruise.vessel))
        .order_by(Cruise.departs_on, Cruise.id)
    )
    return list(db.session.scalars(statement))


def step_cruise(actor: User, cruise: Cruise, step: str) -> Cruise:
    """Lock the cruise, check the step is allowed from where it stands now, and take it."""
    if not can_manage_cruise(actor, cruise):
        raise Forbidden("Only the vessel's managers move the cruise on.")
    lock_row(cruise)
    after = next_status(cruise.status, step)
    if after is None:
        raise Conflict(
            "The cruise is %(status)s: it cannot %(step)s now.",
            code="invalid_state",
            params={"status": cruise.status.value, "step": step},
            status=cruise.status.value,
        )
    cruise.status = after
    return cruise


def open_cruise(actor: User, cruise: Cruise) -> Cruise:
    """The call for berths opens: researchers may apply until `apply_by`."""
    return step_cruise(actor, cruise, "open")


def depart(actor: User, cruise: Cruise) -> Cruise:
    """The ship has sailed with the allocated parties on board."""
    return step_cruise(actor, cruise, "depart")


def cancel_cruise(actor: User, cruise: Cruise, reason: str) -> Cruise:
    """Cancelled before sailing: the vessel's days and the parties' loans are free, nothing is
    charged, and every applicant is told."""
    if not reason.strip():
        raise BadRequest("Give a reason.", fields={"reason": ["required"]})
    step_cruise(actor, cruise, "cancel")
    cruise.cancel_reason = reason.strip()
    if cruise.downtime_id is not None:
        hold = db.session.get(Downtime, cruise.downtime_id)
        cruise.downtime_id = None
        if hold is not None:
            db.session.delete(hold)
    for application in cruise.applications:
        if application.status == ApplicationStatus.SUBMITTED:
            application.status, application.decided_at = ApplicationStatus.DECLINED, utcnow()
        equipment.release(actor, application.loan_id, cruise.cancel_reason)
        leave_message(
            application.applicant_id,
            "cruise_cancelled",
            cruise_url(cruise),
            "cruise",
            cruise=cruise.name,
            reason=cruise.cancel_reason,
        )
    db.session.flush()
    return cruise


def move_hold_to_return(cruise: Cruise) -> None:
    """The vessel's hold ends with the actual return (a late return keeps it longer)."""
    hold = db.session.get(Downtime, cruise.downtime_id) if cruise.downtime_id else None
    if hold is not None:
        window = held_window(cruise)
        hold.start, hold.end = window.start, window.end


def applications_of(cruise: Cruise) -> list[CruiseApplication]:
    return list(cruise.applications)


def set_vessel(actor: User, instrument: Instrument, capacity: dict) -> Vessel:
    """A research vessel's capacity (berths, deck and lab area, home port, length, endurance)."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    if instrument.category.slug != VESSELS_CATEGORY:
        raise BadRequest(
            "Only research vessels have a capacity.",
            fields={"vessel": [f"The instrument's category is not {VESSELS_CATEGORY}."]},
        )
    vessel = db.session.get(Vessel, instrument.id) or Vessel(instrument_id=instrument.id)
    for name, value in capacity.items():
        setattr(vessel, name, value)
    db.session.add(vessel)
    db.session.flush()
    return vessel


def vessel_of(instrument: Instrument) -> Vessel | None:
    """The capacity of a research vessel; None for any other instrument (no query for them)."""
    if instrument.category.slug != VESSELS_CATEGORY:
        return None
    return db.session.get(Vessel, instrument.id)


def managed_vessels(actor: User) -> list[Instrument]:
    """The vessels the actor may publish cruises of (admins: all), by name."""
    statement = (
        select(Instrument)
        .join(Vessel, Vessel.instrument_id == Instrument.id)
        .order_by(Instrument.name)
    )
    return [v for v in db.session.scalars(statement) if can_manage_instrument(actor, v)]
