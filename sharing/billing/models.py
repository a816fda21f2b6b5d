"""Charge, ClosedMonth, Invoice and UsageSession (real use, as instruments' agents report it)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.bookings.models import Booking
from sharing.core.dbtypes import Money, ScaledDecimal, UTCDateTime, enum_column
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.instruments.models import Instrument
from sharing.instruments.rules import CustomerCategory, RateUnit
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class ChargeKind(enum.StrEnum):
    USAGE = "usage"
    SAMPLE_TESTING = "sample_testing"
    NO_SHOW = "no_show"
    LATE_CANCELLATION = "late_cancellation"
    ADJUSTMENT = "adjustment"
    SHIP_TIME = "ship_time"  # a party's share of a cruise (sharing.cruises)
    # A loan item's lines (sharing.loans), each once per item.
    MOBILISATION = "mobilisation"
    OPERATOR = "operator"
    DAMAGE = "damage"


class Charge(db.Model):
    """One statement line; keeps the unit, quantity and unit price it was made with."""

    __tablename__ = "charges"
    __table_args__ = (
        CheckConstraint("kind = 'adjustment' OR amount >= 0", name="amount_not_negative"),
        Index("ix_charges_customer_month", "customer_org_id", "month"),
        Index("ix_charges_owner_month", "owner_org_id", "month"),
        Index("ix_charges_account_month", "account_id", "month"),
        # A month's charges of every organisation (statements, reports) without the history.
        Index("ix_charges_month_orgs", "month", "customer_org_id", "owner_org_id", "amount"),
        # Exactly once: one usage, no-show or late-cancellation charge per booking, one charge
        # per quote line of a testing order, whatever the requests racing to make them.
        Index(
            "uq_charges_one_per_booking",
            "booking_id",
            unique=True,
            sqlite_where=text("booking_id IS NOT NULL AND kind != 'adjustment'"),
            postgresql_where=text("booking_id IS NOT NULL AND kind != 'adjustment'"),
        ),
        Index("uq_charges_one_per_quote_line", "quote_line_id", unique=True),
        # One ship-time charge per allocated application of a cruise, however often completed.
        Index("uq_charges_one_per_cruise_share", "cruise_application_id", unique=True),
        # One line of each kind per loan item and month (its days are cut at month ends),
        # however often its inspection is sent.
        Index(
            "uq_charges_one_per_loan_item_kind",
            "loan_item_id",
            "kind",
            "month",
            unique=True,
            sqlite_where=text("loan_item_id IS NOT NULL"),
            postgresql_where=text("loan_item_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ChargeKind] = mapped_column(enum_column(ChargeKind, "charge_kind"))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id"), default=None, index=True
    )
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), default=None, index=True)
    quote_line_id: Mapped[int | None] = mapped_column(ForeignKey("quote_lines.id"), default=None)
    cruise_application_id: Mapped[int | None] = mapped_column(
        ForeignKey("cruise_applications.id"), default=None
    )
    loan_item_id: Mapped[int | None] = mapped_column(ForeignKey("loan_items.id"), default=None)
    # active_history on what the income sums key and add (sharing.billing.income): an edit of
    # a charge read before a commit expired it still knows the value it replaces.
    instrument_id: Mapped[int | None] = mapped_column(
        ForeignKey("instruments.id"), default=None, active_history=True
    )
    customer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), active_history=True
    )
    owner_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), default=None, active_history=True
    )
    category: Mapped[CustomerCategory | None] = mapped_column(
        enum_column(CustomerCategory, "charge_category"), default=None
    )
    unit: Mapped[RateUnit | None] = mapped_column(
        enum_column(RateUnit, "charge_unit"), default=None
    )
    quantity: Mapped[Decimal] = mapped_column(ScaledDecimal(4), default=Decimal("0"))
    unit_price: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    amount: Mapped[Decimal] = mapped_column(Money(), active_history=True)
    description: Mapped[str] = mapped_column(Text, default="")
    service_date: Mapped[date] = mapped_column(Date)
    # YYYY-MM of service_date, platform zone
    month: Mapped[str] = mapped_column(String(7), active_history=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Who used it (the booker, or who ordered the testing) and the account that pays: the
    # finance office's per-user and per-account columns, and the holder's page.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("funding_accounts.id"), default=None)
    # The invoice that covers it: one at most (the column holds it), and a charge counts as
    # paid when that invoice is (vouchers, receivables).
    invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("invoices.id"), default=None, index=True
    )

    customer: Mapped[Organisation] = relationship(foreign_keys=[customer_org_id])
    owner: Mapped[Organisation | None] = relationship(foreign_keys=[owner_org_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    account: Mapped[FundingAccount | None] = relationship()
    invoice: Mapped[Invoice | None] = relationship(foreign_keys=[invoice_id])


class ClosedMonth(db.Model):
    """A frozen month: nothing dated in it may be added or changed."""

    __tablename__ = "closed_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


class Invoice(db.Model):
    """Charges one provider made to one customer in a month, invoiced by the provider's manager
    under the provider's own number, and the day it was paid.

    It covers the charges it names (`Charge.invoice_id`), not the month: a charge recorded in
    the month after it was invoiced is owed until a second invoice covers it. Each number once
    per provider: the key holds it when two managers invoice at once.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("provider_org_id", "number", name="uq_invoices_number"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("paid_on IS NULL OR paid_on >= issued_on", name="paid_after_issued"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    customer_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    number: Mapped[str] = mapped_column(String(60))
    # The charges it covers, summed when it was issued.
    amount: Mapped[Decimal] = mapped_column(Money())
    issued_on: Mapped[date] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    provider: Mapped[Organisation] = relationship(foreign_keys=[provider_org_id])
    customer: Mapped[Organisation] = relationship(foreign_keys=[customer_org_id])
    charges: Mapped[list[Charge]] = relationship(
        foreign_keys=[Charge.invoice_id], order_by=Charge.id, viewonly=True
    )


class SessionStatus(enum.StrEnum):
    OPEN = "open"  # someone is at the instrument now
    ENDED = "ended"  # booked use, checked out (or its booking completed otherwise)
    UNBOOKED = "unbooked"  # use without a booking, ended: waiting for the managers
    CONFIRMED = "confirmed"  # unbooked use the managers billed (through a booking made for it)
    DISMISSED = "dismissed"  # unbooked use the managers decided not to bill


# Unbooked use that still counts as use: waiting for the managers, or billed.
REAL_UNBOOKED = (SessionStatus.UNBOOKED, SessionStatus.CONFIRMED)


class UsageSession(db.Model):
    """A stretch of real use at an instrument as its agent reported it: who, from when to when,
    on which booking (none for unbooked use), and what the managers decided about unbooked use.

    The record of use beside the booking's check-in and check-out; reports count these times
    where an instrument has them (sharing.billing.realuse).
    """

    __tablename__ = "usage_sessions"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at > started_at", name="ends_after_start"),
        CheckConstraint("(status = 'open') = (ended_at IS NULL)", name="open_until_ended"),
        CheckConstraint("status <> 'confirmed' OR booking_id IS NOT NULL", name="confirmed_booked"),
        Index("ix_usage_sessions_instrument_started", "instrument_id", "started_at"),
        # One person at an instrument's PC at a time: a second start ends the first.
        Index(
            "uq_usage_sessions_one_open_per_agent",
            "agent_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The agent (sharing.agents) that reported it; agents are revoked, never deleted.
    agent_id: Mapped[int] = mapped_column(ForeignKey("instrument_agents.id"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id"), default=None, index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "usage_session_status"), default=SessionStatus.OPEN
    )
    # Started while the agent could not reach the platform, and sent afterwards: the person was
    # let in without asking. `refusal` is what the platform would have answered then.
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    refusal: Mapped[str | None] = mapped_column(String(40), default=None)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instrument: Mapped[Instrument] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    booking: Mapped[Booking | None] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
