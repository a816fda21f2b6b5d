"""Records people attach to an instrument: who is qualified on it, and its photos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.core.dbtypes import UTCDateTime
from sharing.core.feedversions import CATALOG_KEY
from sharing.extensions import db
from sharing.util.timeutil import utcnow


class QualifiedUser(db.Model):
    """A user the instrument's manager has trained and authorised to book it."""

    __tablename__ = "qualified_users"

    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # None: for good (grants made before qualifications expired).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The "expires soon" reminder of this grant was sent (a renewal clears it).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    def is_valid(self, now: datetime) -> bool:
        return self.expires_at is None or now < self.expires_at

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class InstrumentPhoto(db.Model):
    """A photo of an instrument, stored re-encoded (no EXIF) with its thumbnail."""

    __tablename__ = "instrument_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(40), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def version_keys(self) -> tuple[str, ...]:
        return (CATALOG_KEY,)
