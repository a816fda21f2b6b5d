"""The district's matching of companies and institutes (企业出题、院所答题): visits to companies,
the needs written down there, their way from collected to contracted, results transferred, and
the experts who could answer them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from sharing.auth.models import User
from sharing.challenges.models import Challenge, ChallengeField
from sharing.core.dbtypes import Money, UTCDateTime, enum_column
from sharing.core.feedversions import NEEDS_KEY
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class NeedStatus(enum.StrEnum):
    COLLECTED = "collected"
    CLAIMED = "claimed"
    IN_TALKS = "in_talks"
    CONTRACTED = "contracted"
    CLOSED = "closed"


class TransferKind(enum.StrEnum):
    PATENT_TRANSFER = "patent_transfer"
    LICENCE = "licence"
    JOINT_DEVELOPMENT = "joint_development"
    TECHNICAL_SERVICE = "technical_service"


class Visit(db.Model):
    """Platform staff visited a company (企业走访) and wrote down what they heard."""

    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    company: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User] = relationship()


class Need(db.Model):
    """A company's technical need (需求) on its way to an institute that answers it.

    The day of each stage is kept beside the status, so that the district's funnel counts what
    reached a stage within any dates, whatever happened to the need afterwards.
    """

    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint(
            "contract_amount IS NULL OR contract_amount >= 0", name="contract_not_negative"
        ),
        CheckConstraint(
            "status <> 'contracted' OR (contract_amount IS NOT NULL AND signed_on IS NOT NULL)",
            name="contracted_has_contract",
        ),
        CheckConstraint(
            "status = 'collected' OR status = 'closed' OR claimed_by_org_id IS NOT NULL",
            name="claimed_has_claimant",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), default=None)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[ChallengeField] = mapped_column(enum_column(ChallengeField, "need_field", 30))
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus, "need_status"), default=NeedStatus.COLLECTED, index=True
    )
    collected_on: Mapped[date] = mapped_column(Date, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    claimed_by_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), default=None, index=True
    )
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    claimed_on: Mapped[date | None] = mapped_column(Date, default=None)
    talks_on: Mapped[date | None] = mapped_column(Date, default=None)
    contract_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), default=None
    )
    contract_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    signed_on: Mapped[date | None] = mapped_column(Date, default=None)
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    # Published on the board: one challenge per need (the unique key holds it under races).
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL"), unique=True, default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    company: Mapped[Organisation] = relationship(foreign_keys=[company_id])
    claimed_by_org: Mapped[Organisation | None] = relationship(foreign_keys=[claimed_by_org_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    contract_org: Mapped[Organisation | None] = relationship(foreign_keys=[contract_org_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    visit: Mapped[Visit | None] = relationship()
    # The board shows each challenge's need: loaded with the page's challenges, not one by one.
    challenge: Mapped[Challenge | None] = relationship(
        backref=backref("need", uselist=False, lazy="selectin")
    )
    events: Mapped[list[NeedEvent]] = relationship(
        back_populates="need", order_by="NeedEvent.id", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="need",
        order_by="(Meeting.held_on, Meeting.id)",
        cascade="all, delete-orphan",
    )

    def version_keys(self) -> tuple[str, ...]:
        """Matching ranks needs (see sharing.needs.matching)."""
        return (NEEDS_KEY,)


class NeedEvent(db.Model):
    """One step of a need's history: who moved it from which stage to which, and why."""

    __tablename__ = "need_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[NeedStatus | None] = mapped_column(
        enum_column(NeedStatus, "need_event_from"), default=None
    )
    to_status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus, "need_event_to"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[Need] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class Meeting(db.Model):
    """A dated talk (对接) between the company and the institute that claimed its need."""

    __tablename__ = "need_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[Need] = relationship(back_populates="meetings")
    recorded_by: Mapped[User] = relationship()


class Transfer(db.Model):
    """A result transferred (成果转化) from one organisation to another under a contract."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("from_org_id <> to_org_id", name="two_parties"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[TransferKind] = mapped_column(enum_column(TransferKind, "transfer_kind", 30))
    from_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    signed_on: Mapped[date] = mapped_column(Date, index=True)
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("needs.id", ondelete="SET NULL"), default=None
    )
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL"), default=None
    )
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_org: Mapped[Organisation] = relationship(foreign_keys=[from_org_id])
    to_org: Mapped[Organisation] = relationship(foreign_keys=[to_org_id])


expert_instruments = Table(
    "expert_instruments",
    db.metadata,
    Column("expert_id", ForeignKey("experts.id", ondelete="CASCADE"), primary_key=True),
    Column("instrument_id", ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_expert_instruments_instrument_id", "instrument_id"),
)


class Expert(db.Model):
    """A person of an institute that companies may be sent to: what they work on and which
    instruments they run."""

    __tablename__ = "experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Board fields (ChallengeField values), comma-separated in the board's order.
    fields: Mapped[str] = mapped_column(String(300), default="")
    expertise: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    instruments: Mapped[list[Instrument]] = relationship(
        secondary=expert_instruments, order_by="Instrument.name"
    )

    def version_keys(self) -> tuple[str, ...]:
        return (NEEDS_KEY,)

    @property
    def field_list(self) -> list[ChallengeField]:
        return [ChallengeField(value) for value in self.fields.split(",") if value]
