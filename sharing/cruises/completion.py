"""Ship time: what a cruise costs and who pays which part, and its completion, which writes
each party's share as a charge, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sharing.auth.models import User
from sharing.billing.models import Charge, ChargeKind
from sharing.billing.services.months import ensure_open
from sharing.core.errors import BadRequest
from sharing.cruises.costs import Party, Share, cruise_total, ship_days, split_cost
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.cruises.services import move_hold_to_return, step_cruise
from sharing.extensions import db


@dataclass(frozen=True)
class Costs:
    days: int
    day_rate: Decimal
    total: Decimal
    shares: list[tuple[Share, CruiseApplication]]
    estimate: bool  # before allocation: shares of what was asked, not yet given


def _parties(cruise: Cruise) -> tuple[list[CruiseApplication], bool]:
    allocated = [a for a in cruise.applications if a.status == ApplicationStatus.ALLOCATED]
    if cruise.status in (CruiseStatus.PLANNING, CruiseStatus.OPEN):
        return [a for a in cruise.applications if a.status == ApplicationStatus.SUBMITTED], True
    return allocated, False


def costs_of(cruise: Cruise) -> Costs:
    """Days (mobilisation plus departure to return, the actual return once completed), the
    total and each party's share by `share_by`, to the fen."""
    days = ship_days(cruise.departs_on, cruise.back_on, cruise.mobilisation_days)
    total = cruise_total(days, cruise.day_rate)
    applications, estimate = _parties(cruise)
    parties = [
        Party(a.id, a.berths if estimate else (a.allocated_berths or 0)) for a in applications
    ]
    shares = split_cost(total, parties, cruise.share_by.value)
    return Costs(
        days, cruise.day_rate, total, list(zip(shares, applications, strict=True)), estimate
    )


def complete_cruise(actor: User, cruise: Cruise, returned_on: date) -> Cruise:
    """Back in port on `returned_on` (late: its days count too): each allocated party's share of
    the ship time becomes a `ship_time` charge to its organisation, once."""
    if returned_on < cruise.departs_on:
        raise BadRequest(
            "The return is on or after the departure.",
            fields={"returned_on": ["On or after the departure."]},
        )
    step_cruise(actor, cruise, "complete")
    cruise.returned_on = returned_on
    move_hold_to_return(cruise)
    month = returned_on.strftime("%Y-%m")
    ensure_open(month)
    costs = costs_of(cruise)
    for share, application in costs.shares:
        db.session.add(
            Charge(
                kind=ChargeKind.SHIP_TIME,
                cruise_application_id=application.id,
                instrument_id=cruise.vessel_id,
                customer_org_id=application.organisation_id,
                owner_org_id=cruise.vessel.organisation_id,
                quantity=share.share,
                unit_price=costs.total,
                amount=share.amount,
                description=f"航次「{cruise.name}」船时分摊 {costs.days} 天 × {share.share}",
                service_date=returned_on,
                month=month,
                created_by_id=actor.id,
                user_id=application.applicant_id,
            )
        )
    db.session.flush()
    return cruise
