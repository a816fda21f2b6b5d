"""Vessels' capacity, cruises, the applications to join them and the equipment they bring."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.core.dbtypes import Money, ScaledDecimal, UTCDateTime, enum_column
from sharing.core.feedversions import CATALOG_KEY, instrument_key
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus, ShareBy
from sharing.extensions import db
from sharing.instruments.models import SHIP_TIME_CATEGORIES, Instrument
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow

VESSELS_CATEGORY = SHIP_TIME_CATEGORIES[0]
# The public schedule of cruises (its calendar feed and pages).
CRUISES_KEY = "cruises"


class Vessel(db.Model):
    """A research vessel's capacity, beside its instrument record (a `day` instrument)."""

    __tablename__ = "vessels"
    __table_args__ = (
        CheckConstraint(
            "berths >= 0 AND deck_m2 >= 0 AND lab_m2 >= 0 AND endurance_days >= 0",
            name="capacity_not_negative",
        ),
    )

    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True
    )
    berths: Mapped[int] = mapped_column(Integer, default=0)
    deck_m2: Mapped[int] = mapped_column(Integer, default=0)
    lab_m2: Mapped[int] = mapped_column(Integer, default=0)
    home_port: Mapped[str] = mapped_column(String(120), default="")
    length_m: Mapped[Decimal] = mapped_column(ScaledDecimal(1), default=Decimal("0"))
    endurance_days: Mapped[int] = mapped_column(Integer, default=0)

    instrument: Mapped[Instrument] = relationship()

    def version_keys(self) -> tuple[str, ...]:
        """The catalog shows the capacity in the instrument's JSON."""
        return (instrument_key(self.instrument_id), CATALOG_KEY)


class Cruise(db.Model):
    """A cruise of a vessel: dates, ports, capacity for others to join, and its ship time.

    It holds the vessel through a downtime of the vessel's calendar from the first mobilisation
    day to the (actual, once known) return, so every calendar and conflict check sees it.
    """

    __tablename__ = "cruises"
    __table_args__ = (
        CheckConstraint("returns_on >= departs_on", name="returns_after_departure"),
        CheckConstraint("returned_on IS NULL OR returned_on >= departs_on", name="returned_after"),
        CheckConstraint("mobilisation_days >= 0", name="mobilisation_not_negative"),
        CheckConstraint("day_rate >= 0", name="day_rate_not_negative"),
        CheckConstraint("data_due_days > 0", name="data_days_positive"),
        CheckConstraint("(status = 'completed') = (returned_on IS NOT NULL)", name="returned_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vessel_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    departs_on: Mapped[date] = mapped_column(Date)
    returns_on: Mapped[date] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date, default=None)
    mobilisation_days: Mapped[int] = mapped_column(Integer, default=0)
    port_from: Mapped[str] = mapped_column(String(120), default="")
    port_to: Mapped[str] = mapped_column(String(120), default="")
    area: Mapped[str] = mapped_column(String(300), default="")
    chief_scientist_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    apply_by: Mapped[date] = mapped_column(Date)
    day_rate: Mapped[Decimal] = mapped_column(Money())
    share_by: Mapped[ShareBy] = mapped_column(enum_column(ShareBy, "cruise_share_by"))
    data_due_days: Mapped[int] = mapped_column(Integer, default=60)
    status: Mapped[CruiseStatus] = mapped_column(
        enum_column(CruiseStatus, "cruise_status"), default=CruiseStatus.PLANNING
    )
    # The vessel's hold on its calendar (a downtime), gone when the cruise is cancelled.
    downtime_id: Mapped[int | None] = mapped_column(
        ForeignKey("downtimes.id", ondelete="SET NULL"), default=None
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # The chief scientist's cruise report.
    report_summary: Mapped[str] = mapped_column(Text, default="")
    report_stations: Mapped[int | None] = mapped_column(Integer, default=None)
    reported_on: Mapped[date | None] = mapped_column(Date, default=None)
    # When the chief scientist was reminded of the report: set once, by the sweep that claims it.
    report_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    vessel: Mapped[Instrument] = relationship(foreign_keys=[vessel_id])
    # The vessel's capacity record (the same key as the instrument).
    capacity: Mapped[Vessel | None] = relationship(
        primaryjoin="foreign(Cruise.vessel_id) == Vessel.instrument_id", viewonly=True
    )
    chief_scientist: Mapped[User] = relationship(foreign_keys=[chief_scientist_id])
    applications: Mapped[list[CruiseApplication]] = relationship(
        back_populates="cruise", order_by="CruiseApplication.id"
    )

    @property
    def back_on(self) -> date:
        """The last day at sea: the actual return once known, else the planned one."""
        return self.returned_on or self.returns_on

    def version_keys(self) -> tuple[str | None, ...]:
        return (instrument_key(self.vessel_id), CRUISES_KEY)


class CruiseApplication(db.Model):
    """A group's request to join a cruise (搭载) and, once allocated, what it was given."""

    __tablename__ = "cruise_applications"
    __table_args__ = (
        # One application per person and cruise: a second (or a double click) is 409.
        UniqueConstraint("cruise_id", "applicant_id", name="uq_cruise_applications_applicant"),
        CheckConstraint(
            "berths >= 0 AND deck_m2 >= 0 AND lab_m2 >= 0 AND station_hours >= 0",
            name="asked_not_negative",
        ),
        CheckConstraint(
            "(status = 'allocated') = (allocated_berths IS NOT NULL)", name="allocated_has_space"
        ),
        CheckConstraint(
            "allocated_berths IS NULL OR (allocated_berths >= 0 AND allocated_deck_m2 >= 0 "
            "AND allocated_lab_m2 >= 0)",
            name="allocated_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cruise_id: Mapped[int] = mapped_column(ForeignKey("cruises.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    project: Mapped[str] = mapped_column(String(300))
    berths: Mapped[int] = mapped_column(Integer, default=0)
    deck_m2: Mapped[int] = mapped_column(Integer, default=0)
    lab_m2: Mapped[int] = mapped_column(Integer, default=0)
    station_hours: Mapped[int] = mapped_column(Integer, default=0)
    plan: Mapped[str] = mapped_column(Text, default="")
    data_plan: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "cruise_application_status"),
        default=ApplicationStatus.SUBMITTED,
    )
    allocated_berths: Mapped[int | None] = mapped_column(Integer, default=None)
    allocated_deck_m2: Mapped[int | None] = mapped_column(Integer, default=None)
    allocated_lab_m2: Mapped[int | None] = mapped_column(Integer, default=None)
    # The loan that carries its equipment on the cruise's days (sharing.cruises.equipment).
    loan_id: Mapped[int | None] = mapped_column(Integer, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The data it owes after the cruise, as delivered.
    data_description: Mapped[str] = mapped_column(Text, default="")
    data_url: Mapped[str] = mapped_column(String(500), default="")
    embargo_until: Mapped[date | None] = mapped_column(Date, default=None)
    data_done_on: Mapped[date | None] = mapped_column(Date, default=None)
    # When the applicant was reminded of the data: set once, by the sweep that claims it.
    data_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cruise: Mapped[Cruise] = relationship(back_populates="applications")
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    organisation: Mapped[Organisation] = relationship()
    equipment: Mapped[list[CruiseEquipment]] = relationship(
        cascade="all, delete-orphan", order_by="CruiseEquipment.id"
    )


class CruiseEquipment(db.Model):
    """An instrument an application brings on board (its own or borrowed), with or without
    its operator."""

    __tablename__ = "cruise_equipment"
    __table_args__ = (
        UniqueConstraint("application_id", "instrument_id", name="uq_cruise_equipment_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("cruise_applications.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    with_operator: Mapped[bool] = mapped_column(Boolean, default=False)

    instrument: Mapped[Instrument] = relationship()
