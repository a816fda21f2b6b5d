"""Downtime model (bookings arrive with the booking engine)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sharing.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.timeutil import utcnow


class Downtime(db.Model):
    """A maintenance or outage period during which an instrument cannot be booked."""

    __tablename__ = "downtimes"
    __table_args__ = (CheckConstraint('"end" > start', name="end_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
