"""The ship time of a year (issue 32, item 7), beside the instruments' figures in the assessment
report: vessels are counted by the day, not by machine hours.

Only completed cruises count: their days are known (the actual return, a late one included)
and charged. A cruise's ship days are the days it holds the vessel, mobilisation days in port
and every day from departure to return, as it is charged (`costs.ship_days`); its berth-days
are each allocated party's berths times the days at sea, departure to return. Each falls in
the year of its day, so a cruise across New Year counts in both years. The external ship days
are the ship days times the cost shares (`costs.split_cost`, as charged) of the parties of
organisations other than the vessel's owner; the external share is those over the ship days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sharing.core.sqltime import days_after
from sharing.cruises.completion import costs_of
from sharing.cruises.lifecycle import CruiseStatus
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.extensions import db
from sharing.instruments.models import Instrument

DAY_PART = Decimal("0.01")
RATE = Decimal("0.0001")


def days_in_year(first: date, last: date, year: int) -> int:
    """How many of the days `first` through `last` (both counted) fall in `year`."""
    start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    return max((end - start).days + 1, 0)


@dataclass
class ShipTime:
    """The figures of a set of cruises in one year (of a vessel, or of all in the report)."""

    cruises: int = 0
    ship_days: int = 0
    external_ship_days: Decimal = Decimal("0")
    berth_days: int = 0

    @property
    def external_share(self) -> Decimal:
        if not self.ship_days:
            return Decimal("0").quantize(RATE)
        return (self.external_ship_days / self.ship_days).quantize(RATE)

    def add(self, other: ShipTime) -> None:
        self.cruises += other.cruises
        self.ship_days += other.ship_days
        self.external_ship_days += other.external_ship_days
        self.berth_days += other.berth_days

    def as_row(self) -> dict:
        return {
            "cruises": self.cruises,
            "ship_days": self.ship_days,
            "external_ship_days": self.external_ship_days.quantize(DAY_PART),
            "external_share": self.external_share,
            "berth_days": self.berth_days,
        }


@dataclass
class _Year:
    total: ShipTime = field(default_factory=ShipTime)
    vessels: dict[int, ShipTime] = field(default_factory=lambda: defaultdict(ShipTime))
    berth_days: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _cruise_year(cruise: Cruise, year: int, into: _Year) -> None:
    held_from = cruise.departs_on - timedelta(days=cruise.mobilisation_days)
    ship = days_in_year(held_from, cruise.back_on, year)
    at_sea = days_in_year(cruise.departs_on, cruise.back_on, year)
    if not ship:
        return
    owner = cruise.vessel.organisation_id
    external = sum(
        (s.share for s, a in costs_of(cruise).shares if a.organisation_id != owner), Decimal(0)
    )
    figures = ShipTime(1, ship, ship * external, 0)
    for application in cruise.applications:
        if application.allocated_berths:
            days = application.allocated_berths * at_sea
            into.berth_days[application.organisation_id] += days
            figures.berth_days += days
    into.vessels[cruise.vessel_id].add(figures)
    into.total.add(figures)


def _completed_in(year: int, organisation_id: int | None) -> list[Cruise]:
    """Completed cruises holding their vessel on a day of the year (the owner's, or all)."""
    statement = (
        select(Cruise)
        .join(Instrument, Instrument.id == Cruise.vessel_id)
        .where(
            Cruise.status == CruiseStatus.COMPLETED,
            Cruise.returned_on >= date(year, 1, 1),
            days_after(Cruise.departs_on, -Cruise.mobilisation_days) <= date(year, 12, 31),
        )
        .options(
            selectinload(Cruise.applications).selectinload(CruiseApplication.organisation),
            selectinload(Cruise.vessel).selectinload(Instrument.organisation),
        )
        .order_by(Cruise.departs_on, Cruise.id)
    )
    if organisation_id is not None:
        statement = statement.where(Instrument.organisation_id == organisation_id)
    return list(db.session.scalars(statement))


def ship_time_year(year: int, organisation_id: int | None = None) -> dict:
    """The year's ship time of the vessels of the organisation (None: of all): in total, per
    vessel, and the berth-days of each organisation that sailed, most first."""
    cruises = _completed_in(year, organisation_id)
    found = _Year()
    for cruise in cruises:
        _cruise_year(cruise, year, found)
    vessels = {c.vessel_id: c.vessel for c in cruises}
    organisations = {a.organisation_id: a.organisation for c in cruises for a in c.applications}
    return {
        **found.total.as_row(),
        "vessels": [
            {
                "instrument_id": vessel_id,
                "name": vessels[vessel_id].name,
                "organisation": vessels[vessel_id].organisation.slug,
                **figures.as_row(),
            }
            for vessel_id, figures in sorted(
                found.vessels.items(), key=lambda item: vessels[item[0]].name
            )
        ],
        "berth_days_by_organisation": [
            {
                "organisation": organisations[org_id].slug,
                "organisation_name": organisations[org_id].name,
                "berth_days": days,
            }
            for org_id, days in sorted(
                found.berth_days.items(), key=lambda item: (-item[1], organisations[item[0]].name)
            )
        ],
    }
