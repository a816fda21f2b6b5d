"""Challenge and Application models."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.challenges.lifecycle import ApplicationStatus, ChallengeStatus, MilestoneStatus
from sharing.core.dbtypes import Money, UTCDateTime, enum_column
from sharing.core.feedversions import CHALLENGES_KEY
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class ChallengeField(enum.StrEnum):
    MARINE_EQUIPMENT = "marine-equipment"
    MARINE_BIOMEDICINE = "marine-biomedicine"
    FISHERIES = "fisheries-aquaculture"
    MARINE_INFORMATION = "marine-information"
    NEW_MATERIALS = "new-materials"
    ENVIRONMENT_ENERGY = "environment-energy"
    OTHER = "other"


class Challenge(db.Model):
    """A technical problem a company posts for institutes to take on."""

    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        CheckConstraint(
            "contract_amount IS NULL OR contract_amount > 0", name="contract_above_zero"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[ChallengeField] = mapped_column(
        enum_column(ChallengeField, "challenge_field", 30)
    )
    budget: Mapped[Decimal] = mapped_column(Money())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[ChallengeStatus] = mapped_column(
        enum_column(ChallengeStatus, "challenge_status"), index=True
    )
    awarded_application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", use_alter=True, name="fk_challenges_awarded_application"),
        default=None,
    )
    contract_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship()
    applications: Mapped[list[Application]] = relationship(
        back_populates="challenge",
        foreign_keys="Application.challenge_id",
        order_by="Application.created_at",
    )
    awarded_application: Mapped[Application | None] = relationship(
        foreign_keys=[awarded_application_id], post_update=True
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="challenge", order_by="(Milestone.due, Milestone.id)"
    )

    def version_keys(self) -> tuple[str, ...]:
        """Every challenge belongs to the board's deadline feed."""
        return (CHALLENGES_KEY,)


class Application(db.Model):
    """A proposal to take a challenge on (揭榜); confidential to both sides and admins."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("challenge_id", "applicant_id", name="uq_applications_one_per_person"),
        CheckConstraint("quote >= 0", name="quote_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    proposal: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(Text, default="")
    timeline: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[Decimal] = mapped_column(Money())
    # The "deadline near" reminder to the applicant was sent.
    deadline_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, "application_status"), default=ApplicationStatus.SUBMITTED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    challenge: Mapped[Challenge] = relationship(
        back_populates="applications", foreign_keys=[challenge_id]
    )
    applicant: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()


class Milestone(db.Model):
    """A stage of an awarded challenge with the amount it releases: the company sets it, the
    selected team delivers it, the company accepts or rejects the delivery."""

    __tablename__ = "milestones"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_above_zero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_column(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
    delivery_note: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    delivered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Why the company sent the last delivery back; kept when it is delivered again.
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="milestones")
