"""Voucher programmes (one a year), claims of firms and their lines, one per charge."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.billing.models import Charge
from sharing.core.dbtypes import Money, ScaledDecimal, UTCDateTime, enum_column
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class ClaimStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


# Claims whose lines hold a charge and count against the caps.
HOLDING = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID)


class VoucherProgramme(db.Model):
    """A year's rules: who may claim (the city), the shares paid back and the caps."""

    __tablename__ = "voucher_programmes"
    __table_args__ = (
        CheckConstraint("enterprise_cap >= 0 AND provider_cap >= 0", name="caps_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, unique=True)
    city: Mapped[str] = mapped_column(String(40))
    enterprise_rate: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    enterprise_rate_high_tech: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    provider_rate: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    enterprise_cap: Mapped[Decimal] = mapped_column(Money())
    provider_cap: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoucherClaim(db.Model):
    """A firm's claim over some of its paid charges, reviewed and paid by the platform."""

    __tablename__ = "voucher_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("voucher_programmes.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[ClaimStatus] = mapped_column(
        enum_column(ClaimStatus, "voucher_claim_status"), default=ClaimStatus.SUBMITTED
    )
    enterprise_subsidy: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    provider_subsidy: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[VoucherProgramme] = relationship()
    organisation: Mapped[Organisation] = relationship()
    lines: Mapped[list[VoucherLine]] = relationship(
        back_populates="claim", order_by="VoucherLine.id", cascade="all, delete-orphan"
    )


class VoucherLine(db.Model):
    """One charge of a claim: eligible or not (with the reason), and the two subsidies.

    A charge is held by one claim at a time: `holds` is true while its claim is not rejected,
    and the unique index on held charges stands when two claims race for one charge.
    """

    __tablename__ = "voucher_lines"
    __table_args__ = (
        Index(
            "uq_voucher_lines_held_charge",
            "charge_id",
            unique=True,
            sqlite_where=text("holds"),
            postgresql_where=text("holds"),
        ),
        CheckConstraint(
            "enterprise_subsidy >= 0 AND provider_subsidy >= 0", name="subsidies_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("voucher_claims.id", ondelete="CASCADE"), index=True
    )
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id"))
    provider_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    amount: Mapped[Decimal] = mapped_column(Money())
    eligible: Mapped[bool] = mapped_column(Boolean)
    holds: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(30), default="")
    enterprise_subsidy: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    provider_subsidy: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))

    claim: Mapped[VoucherClaim] = relationship(back_populates="lines")
    charge: Mapped[Charge] = relationship()
    provider: Mapped[Organisation | None] = relationship()
