"""Applications to join a cruise (搭载) and the allocation of its capacity among them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from sharing.auth.models import User
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation
from sharing.core.locking import lock_row
from sharing.cruises import equipment
from sharing.cruises.access import (
    can_allocate,
    can_read_application,
    may_apply,
    reads_all_applications,
)
from sharing.cruises.duties import overdue_obligations
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus
from sharing.cruises.models import Cruise, CruiseApplication, CruiseEquipment
from sharing.cruises.schedule import first_held_day
from sharing.cruises.services import capacity_of, cruise_url
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.notices.messages import leave_message
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow


@dataclass(frozen=True)
class Ask:
    """What an application asks for (POST /cruises/<id>/applications)."""

    project: str
    berths: int = 0
    deck_m2: int = 0
    lab_m2: int = 0
    station_hours: int = 0
    equipment: list[equipment.Item] = field(default_factory=list)
    plan: str = ""
    data_plan: str = ""


@dataclass(frozen=True)
class Allocation:
    application_id: int
    berths: int | None = None  # None: what the application asked for
    deck_m2: int | None = None
    lab_m2: int | None = None


def _check_equipment(items: list[equipment.Item]) -> None:
    ids = [item.instrument_id for item in items]
    if len(ids) != len(set(ids)):
        raise BadRequest(
            "An instrument is named twice.", fields={"equipment": ["An instrument twice."]}
        )
    known = set(db.session.scalars(select(Instrument.id).where(Instrument.id.in_(ids))))
    if set(ids) - known:
        raise BadRequest("No such instrument.", fields={"equipment": ["No such instrument."]})


def apply_to_cruise(actor: User, cruise: Cruise, ask: Ask, today: date | None = None):
    """A submitted application, while the call is open and up to its `apply_by` day."""
    if not may_apply(actor):
        raise Forbidden("Researchers and enterprise users apply to join cruises.")
    if not ask.project.strip():
        raise BadRequest("Name the project.", fields={"project": ["required"]})
    _check_equipment(ask.equipment)
    today = today or local_today()
    lock_row(cruise)
    if cruise.status != CruiseStatus.OPEN:
        raise Conflict(
            "The cruise is not taking applications.",
            code="invalid_state",
            status=cruise.status.value,
        )
    if today > cruise.apply_by:
        raise Conflict(
            "Applications closed on %(day)s.",
            code="deadline_passed",
            params={"day": cruise.apply_by.isoformat()},
        )
    owed = overdue_obligations(actor.id, today)
    if owed:
        raise RuleViolation(
            "Deliver what you owe from earlier cruises first.",
            violations=[
                {
                    "code": "obligations_overdue",
                    "message": "Data or a cruise report of an earlier cruise is overdue.",
                    "cruise_ids": sorted({cruise_id for cruise_id, _kind in owed}),
                }
            ],
        )
    if db.session.scalar(
        select(CruiseApplication.id).where(
            CruiseApplication.cruise_id == cruise.id, CruiseApplication.applicant_id == actor.id
        )
    ):
        raise Conflict("You have applied to this cruise already.", code="duplicate")
    application = CruiseApplication(
        cruise_id=cruise.id,
        applicant_id=actor.id,
        organisation_id=actor.organisation_id,
        project=ask.project.strip(),
        berths=ask.berths,
        deck_m2=ask.deck_m2,
        lab_m2=ask.lab_m2,
        station_hours=ask.station_hours,
        plan=ask.plan,
        data_plan=ask.data_plan,
        equipment=[
            CruiseEquipment(instrument_id=item.instrument_id, with_operator=item.with_operator)
            for item in ask.equipment
        ],
    )
    db.session.add(application)
    db.session.flush()
    leave_message(
        cruise.chief_scientist_id,
        "cruise_application",
        cruise_url(cruise),
        "cruise",
        cruise=cruise.name,
        project=application.project,
    )
    return application


def list_applications(actor: User, cruise: Cruise) -> list[CruiseApplication]:
    """All of them for the vessel's managers and the chief scientist; one's own for others."""
    if reads_all_applications(actor, cruise):
        return list(cruise.applications)
    return [a for a in cruise.applications if a.applicant_id == actor.id]


def get_application(actor: User, application_id: int) -> CruiseApplication:
    application = db.session.get(CruiseApplication, application_id)
    if application is None or not can_read_application(actor, application):
        raise NotFound("No such application.")
    return application


def _space(allocation: Allocation, application: CruiseApplication) -> tuple[int, int, int]:
    def given(value, asked):
        return asked if value is None else value

    return (
        given(allocation.berths, application.berths),
        given(allocation.deck_m2, application.deck_m2),
        given(allocation.lab_m2, application.lab_m2),
    )


def _resolve(cruise: Cruise, allocations: list[Allocation]) -> list[tuple]:
    by_id = {a.id: a for a in cruise.applications}
    ids = [allocation.application_id for allocation in allocations]
    if len(ids) != len(set(ids)) or set(ids) - set(by_id):
        raise BadRequest(
            "Name each application of this cruise once.",
            fields={"allocations": ["Unknown or repeated application."]},
        )
    return [(by_id[a.application_id], _space(a, by_id[a.application_id])) for a in allocations]


def _check_capacity(cruise: Cruise, chosen: list[tuple]) -> None:
    vessel = capacity_of(cruise)
    totals = [sum(space[i] for _a, space in chosen) for i in range(3)]
    limits = (vessel.berths, vessel.deck_m2, vessel.lab_m2)
    over = [
        name
        for name, total, limit in zip(("berths", "deck_m2", "lab_m2"), totals, limits, strict=True)
        if total > limit
    ]
    if over:
        raise RuleViolation(
            "The allocations exceed the vessel's capacity.",
            violations=[
                {
                    "code": "over_capacity",
                    "message": "More than the vessel holds.",
                    "fields": over,
                    "capacity": dict(zip(("berths", "deck_m2", "lab_m2"), limits, strict=True)),
                    "allocated": dict(zip(("berths", "deck_m2", "lab_m2"), totals, strict=True)),
                }
            ],
        )


def _hold_equipment(actor: User, cruise: Cruise, chosen: list[tuple]) -> dict[int, int | None]:
    """Every allocated application's gear on the cruise's days, all of it or none (409)."""
    first, last = first_held_day(cruise.departs_on, cruise.mobilisation_days), cruise.returns_on
    items = [
        (
            application,
            [equipment.Item(e.instrument_id, e.with_operator) for e in application.equipment],
        )
        for application, _space in chosen
    ]
    conflicts = [c for _a, wanted in items for c in equipment.conflicts_for(wanted, first, last)]
    if conflicts:
        raise Conflict("Some of the equipment is taken on the cruise's days.", conflicts=conflicts)
    site = f"{cruise.vessel.name} · {cruise.area}"[:200]
    return {
        application.id: equipment.hold_for_cruise(
            actor, application.applicant, wanted, first, last, site
        )
        for application, wanted in items
    }


def allocate(actor: User, cruise: Cruise, allocations: list[Allocation]) -> Cruise:
    """Share out the capacity: the listed applications are `allocated` (their equipment held as
    loans for the cruise's days), the rest `declined`; every applicant is told."""
    if not can_allocate(actor, cruise):
        raise Forbidden("The vessel's managers or the chief scientist allocate the cruise.")
    lock_row(cruise)
    if cruise.status != CruiseStatus.OPEN:
        raise Conflict(
            "The cruise is %(status)s: it cannot allocate now.",
            code="invalid_state",
            params={"status": cruise.status.value},
            status=cruise.status.value,
        )
    chosen = _resolve(cruise, allocations)
    _check_capacity(cruise, chosen)
    loans = _hold_equipment(actor, cruise, chosen)
    cruise.status = CruiseStatus.ALLOCATED
    now, placed = utcnow(), {application.id for application, _space in chosen}
    for application, (berths, deck, lab) in chosen:
        application.status = ApplicationStatus.ALLOCATED
        application.allocated_berths, application.allocated_deck_m2 = berths, deck
        application.allocated_lab_m2, application.loan_id = lab, loans[application.id]
        application.decided_at = now
    for application in cruise.applications:
        if application.id not in placed:
            application.status, application.decided_at = ApplicationStatus.DECLINED, now
        _tell(cruise, application)
    db.session.flush()
    return cruise


def _tell(cruise: Cruise, application: CruiseApplication) -> None:
    url = cruise_url(cruise)
    if application.status == ApplicationStatus.ALLOCATED:
        leave_message(
            application.applicant_id,
            "cruise_allocated",
            url,
            "cruise",
            cruise=cruise.name,
            berths=application.allocated_berths,
        )
    else:
        leave_message(
            application.applicant_id,
            "cruise_declined",
            url,
            "cruise",
            cruise=cruise.name,
            project=application.project,
        )
