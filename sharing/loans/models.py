"""Loan, LoanItem, LoanCheck (a handover's checklist line), LoanEvent (the history), and an
instrument's kit: Component and Operator."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.core.dbtypes import Money, UTCDateTime, enum_column
from sharing.core.feedversions import instrument_key
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.instruments.models import Instrument
from sharing.instruments.rules import CustomerCategory
from sharing.loans.lifecycle import (
    HOLDING_STATUSES,
    CheckStage,
    Condition,
    Delivery,
    DepositStatus,
    LoanStatus,
    Outcome,
)
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow

HOLDING_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(HOLDING_STATUSES)))


class Component(db.Model):
    """An accessory of a day instrument (a tether, a battery, a sensor) checked at handover."""

    __tablename__ = "instrument_components"
    __table_args__ = (UniqueConstraint("instrument_id", "serial", name="uq_components_serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    serial: Mapped[str] = mapped_column(String(100))
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Operator(db.Model):
    """Staff who go with the gear (a pilot, a technician), paid by the day."""

    __tablename__ = "instrument_operators"
    __table_args__ = (
        UniqueConstraint("instrument_id", "user_id", name="uq_operators_instrument_user"),
        CheckConstraint("day_rate >= 0", name="day_rate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    day_rate: Mapped[Decimal] = mapped_column(Money())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Loan(db.Model):
    """One request of several items for the same days: held together or not at all."""

    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="end_not_before_start"),
        Index("ix_loans_organisation_start", "organisation_id", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("funding_accounts.id"), default=None, index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[LoanStatus] = mapped_column(
        enum_column(LoanStatus, "loan_status"), default=LoanStatus.REQUESTED
    )
    purpose: Mapped[str] = mapped_column(Text, default="")
    site: Mapped[str] = mapped_column(String(300), default="")
    delivery: Mapped[Delivery] = mapped_column(
        enum_column(Delivery, "loan_delivery"), default=Delivery.PICKUP
    )
    insurance_policy: Mapped[str] = mapped_column(String(200), default="")
    # Rises with every change, for calendar clients that only update on a higher SEQUENCE.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    borrower: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()
    account: Mapped[FundingAccount | None] = relationship()
    items: Mapped[list[LoanItem]] = relationship(
        back_populates="loan", order_by="LoanItem.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[LoanEvent]] = relationship(
        back_populates="loan", order_by="LoanEvent.id", cascade="all, delete-orphan"
    )

    @property
    def days(self) -> int:
        """Both ends count."""
        return (self.end_date - self.start_date).days + 1


class LoanItem(db.Model):
    """One instrument of a loan; while it holds, it blocks [start_date, blocked_until) and its
    operator [start_date, end_date]. The prices it was quoted with stay with it."""

    __tablename__ = "loan_items"
    __table_args__ = (
        UniqueConstraint("loan_id", "instrument_id", name="uq_loan_items_loan_instrument"),
        CheckConstraint("end_date >= start_date", name="end_not_before_start"),
        CheckConstraint("blocked_until > end_date", name="blocked_covers_loan"),
        CheckConstraint(
            "day_rate >= 0 AND mobilisation_fee >= 0 AND deposit >= 0 AND damage_amount >= 0",
            name="money_not_negative",
        ),
        CheckConstraint(
            "operator_user_id IS NULL OR operator_id IS NOT NULL", name="operator_of_record"
        ),
        Index("ix_loan_items_instrument_start", "instrument_id", "start_date"),
        # A loan's busy read starts from the items still ahead (blocked_until > its first day):
        # by start_date it would read every item of the gear's history.
        Index("ix_loan_items_instrument_until", "instrument_id", "blocked_until"),
        # The database itself refuses two holding items of one instrument on the same day
        # (PostgreSQL; SQLite serialises writers instead). Mirrors loans.conflicts.
        ExcludeConstraint(
            ("instrument_id", "="),
            (text("daterange(start_date, blocked_until, '[)')"), "&&"),
            name="ex_loan_items_no_overlap",
            using="gist",
            where=text(HOLDING_SQL),
        ).ddl_if(dialect="postgresql"),
        # An operator is on at most one loan a day.
        ExcludeConstraint(
            ("operator_user_id", "="),
            (text("daterange(start_date, end_date, '[]')"), "&&"),
            name="ex_loan_items_operator_once",
            using="gist",
            where=text(f"operator_user_id IS NOT NULL AND {HOLDING_SQL}"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[LoanStatus] = mapped_column(
        enum_column(LoanStatus, "loan_item_status"), default=LoanStatus.REQUESTED
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    # The day after the end plus the turnaround days (exclusive): what the item holds.
    blocked_until: Mapped[date] = mapped_column(Date)
    turnaround_days: Mapped[int] = mapped_column(Integer, default=0)
    with_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    operator_id: Mapped[int | None] = mapped_column(
        ForeignKey("instrument_operators.id"), default=None
    )
    operator_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), default=None, index=True
    )
    # Prices as quoted when requested (the operator's when assigned).
    category: Mapped[CustomerCategory] = mapped_column(
        enum_column(CustomerCategory, "loan_item_category")
    )
    day_rate: Mapped[Decimal] = mapped_column(Money())
    mobilisation_fee: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    operator_day_rate: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    deposit: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    insurance_required: Mapped[bool] = mapped_column(Boolean, default=False)
    replacement_value: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    deposit_status: Mapped[DepositStatus] = mapped_column(
        enum_column(DepositStatus, "deposit_status"), default=DepositStatus.NONE
    )
    deposit_received: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    deposit_received_on: Mapped[date | None] = mapped_column(Date, default=None)
    deposit_reference: Mapped[str] = mapped_column(String(120), default="")
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    tracking_number: Mapped[str] = mapped_column(String(120), default="")
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    inspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    outcome: Mapped[Outcome | None] = mapped_column(
        enum_column(Outcome, "loan_outcome"), default=None
    )
    damage_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    inspection_note: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    # A later loan of the instrument that an overdue item keeps from starting.
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last day the overdue notices went out (one a day, claimed by one sweep).
    overdue_notified_on: Mapped[date | None] = mapped_column(Date, default=None)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), default=None)

    loan: Mapped[Loan] = relationship(back_populates="items")
    instrument: Mapped[Instrument] = relationship()
    owner: Mapped[Organisation] = relationship(foreign_keys=[owner_org_id])
    operator: Mapped[Operator | None] = relationship()
    checks: Mapped[list[LoanCheck]] = relationship(
        back_populates="item", order_by="LoanCheck.id", cascade="all, delete-orphan"
    )

    def version_keys(self) -> tuple[str | None, ...]:
        """The instrument's schedule (its calendar feed) shows the item's days."""
        return (instrument_key(self.instrument_id),)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class LoanCheck(db.Model):
    """One component as found at dispatch or at return."""

    __tablename__ = "loan_checks"
    __table_args__ = (
        UniqueConstraint("item_id", "stage", "component_id", name="uq_loan_checks_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("loan_items.id", ondelete="CASCADE"))
    stage: Mapped[CheckStage] = mapped_column(enum_column(CheckStage, "check_stage"))
    component_id: Mapped[int] = mapped_column(ForeignKey("instrument_components.id"))
    present: Mapped[bool] = mapped_column(Boolean)
    condition: Mapped[Condition] = mapped_column(enum_column(Condition, "check_condition"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    item: Mapped[LoanItem] = relationship(back_populates="checks")
    component: Mapped[Component] = relationship()


class LoanEvent(db.Model):
    """One change of a loan or one of its items: who, when, what, from which state to which."""

    __tablename__ = "loan_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    instrument_id: Mapped[int | None] = mapped_column(ForeignKey("instruments.id"), default=None)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[LoanStatus | None] = mapped_column(
        enum_column(LoanStatus, "loan_event_from"), default=None
    )
    to_status: Mapped[LoanStatus | None] = mapped_column(
        enum_column(LoanStatus, "loan_event_to"), default=None
    )
    reason: Mapped[str] = mapped_column(Text, default="")

    loan: Mapped[Loan] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
