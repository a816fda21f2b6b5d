"""What assessors count beside hours: customers' ratings of finished work, the faults and upkeep
logged on each instrument, and the achievements the instruments served."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.core.feedversions import CATALOG_KEY, instrument_key
from sharing.extensions import db
from sharing.util.timeutil import utcnow

SCORES = range(1, 6)


class Rating(db.Model):
    """A customer's score (1-5) of one completed booking or one completed sample order.

    Each booking and each order is rated once: the unique keys hold that even when two requests
    race past the service's check.
    """

    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
        CheckConstraint("(booking_id IS NULL) <> (order_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), unique=True, default=None
    )
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), unique=True, default=None
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")
    instrument = relationship("Instrument")

    def version_keys(self) -> tuple[str, ...]:
        # The catalog and the instrument show the average.
        return (CATALOG_KEY, instrument_key(self.instrument_id))


class IncidentKind(enum.StrEnum):
    FAULT = "fault"
    SAFETY = "safety"
    MAINTENANCE = "maintenance"
    CALIBRATION = "calibration"


# Reported by anyone who used the instrument; the rest are the managers' upkeep log.
REPORTED_BY_USERS = frozenset({IncidentKind.FAULT, IncidentKind.SAFETY})


class IncidentStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Incident(db.Model):
    """A fault or safety issue reported on an instrument, or an entry of its upkeep log
    (maintenance, calibration with its next due date). Faults and safety issues stay open
    until a manager resolves them; upkeep entries are records, resolved when written."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[IncidentKind] = mapped_column(enum_column(IncidentKind, "incident_kind"))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[IncidentStatus] = mapped_column(
        enum_column(IncidentStatus, "incident_status"), default=IncidentStatus.OPEN
    )
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    downtime_id: Mapped[int | None] = mapped_column(
        ForeignKey("downtimes.id", ondelete="SET NULL"), default=None
    )
    # Claimed once by the reminder sweep when the next calibration is near.
    due_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    instrument = relationship("Instrument")
    reported_by = relationship("User", foreign_keys=[reported_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
    downtime = relationship("Downtime")


class AchievementKind(enum.StrEnum):
    PAPER = "paper"
    PATENT = "patent"
    AWARD = "award"
    STANDARD = "standard"
    MAJOR_TASK = "major_task"


class AchievementStatus(enum.StrEnum):
    CLAIMED = "claimed"  # added by a user; a manager of an instrument it used confirms it
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


achievement_instruments = Table(
    "achievement_instruments",
    db.Model.metadata,
    Column(
        "achievement_id",
        ForeignKey("achievements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "instrument_id",
        ForeignKey("instruments.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Achievement(db.Model):
    """A paper, patent, award, standard or major research task that used instruments of the
    platform; counted in the yearly assessment once a manager of one of them confirms it."""

    __tablename__ = "achievements"
    __table_args__ = (
        CheckConstraint("year >= 1950 AND year <= 2100", name="year_range"),
        # One record per reference (DOI, patent number) and organisation.
        Index(
            "uq_achievements_reference",
            "organisation_id",
            "kind",
            "reference",
            unique=True,
            postgresql_where=text("reference <> ''"),
            sqlite_where=text("reference <> ''"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AchievementKind] = mapped_column(enum_column(AchievementKind, "achievement_kind"))
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer, index=True)
    reference: Mapped[str] = mapped_column(String(200), default="")
    invention: Mapped[bool] = mapped_column(Boolean, default=False)  # an invention patent
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[AchievementStatus] = mapped_column(
        enum_column(AchievementStatus, "achievement_status"), default=AchievementStatus.CLAIMED
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation")
    added_by = relationship("User", foreign_keys=[added_by_id])
    instruments = relationship(
        "Instrument", secondary=achievement_instruments, order_by="Instrument.id"
    )
