"""A user's request to be trained on an instrument, from asking to the manager's decision."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.bookings.models import Booking
from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow


class TrainingStatus(enum.StrEnum):
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    GRANTED = "granted"
    DECLINED = "declined"


OPEN_STATUSES = (TrainingStatus.REQUESTED, TrainingStatus.SCHEDULED)
OPEN_SQL = "status IN ('requested', 'scheduled')"


class TrainingRequest(db.Model):
    """One request; at most one open (requested or scheduled) per user and instrument."""

    __tablename__ = "training_requests"
    __table_args__ = (
        # The database refuses a second open request, whoever races to make it.
        Index(
            "uq_training_requests_open",
            "instrument_id",
            "user_id",
            unique=True,
            sqlite_where=text(OPEN_SQL),
            postgresql_where=text(OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TrainingStatus] = mapped_column(
        enum_column(TrainingStatus, "training_status"), default=TrainingStatus.REQUESTED
    )
    # The training session, a booking on the instrument's calendar.
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), default=None)
    reason: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    instrument: Mapped[Instrument] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    booking: Mapped[Booking | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
