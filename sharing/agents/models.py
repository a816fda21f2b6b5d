"""InstrumentAgent: a program on an instrument's PC that reports its use, known by its token."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow


class AgentMode(enum.StrEnum):
    # The instrument is switched on only for someone with a current booking (NEMO's interlocks).
    INTERLOCK = "interlock"
    # The instrument cannot be locked: everyone is let in, use without a booking is recorded
    # for the managers to bill or dismiss (PPMS's tracker).
    LOG = "log"


class InstrumentAgent(db.Model):
    """An agent registered by an instrument's managers; only its token's SHA-256 is stored."""

    __tablename__ = "instrument_agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    mode: Mapped[AgentMode] = mapped_column(
        enum_column(AgentMode, "agent_mode"), default=AgentMode.INTERLOCK
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The last call of any kind (heartbeats included): online until 5 minutes of silence.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    instrument: Mapped[Instrument] = relationship()
    created_by: Mapped[User] = relationship()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
