"""Order, QuoteLine, OrderEvent and ResultFile."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.core.dbtypes import Money, ScaledDecimal, UTCDateTime, enum_column
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.instruments.models import Instrument
from sharing.orders.lifecycle import OrderStatus
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class Delivery(enum.StrEnum):
    IN_PERSON = "in_person"
    COURIER = "courier"


class Order(db.Model):
    """An order to measure a customer's samples on an instrument that accepts them."""

    __tablename__ = "orders"
    __table_args__ = (CheckConstraint("samples > 0", name="samples_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    customer_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The grant (课题/经费卡) that pays for it; its charges carry the same account.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("funding_accounts.id"), default=None, index=True
    )
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, "order_status"))
    samples: Mapped[int] = mapped_column(Integer)
    sample_type: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    hazards: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    turnaround_days: Mapped[int | None] = mapped_column(Integer, default=None)
    delivery: Mapped[Delivery] = mapped_column(enum_column(Delivery, "order_delivery"))
    tracking_number: Mapped[str] = mapped_column(String(100), default="")
    received_samples: Mapped[int | None] = mapped_column(Integer, default=None)
    measured_samples: Mapped[int | None] = mapped_column(Integer, default=None)
    quote_total: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    instrument: Mapped[Instrument] = relationship()
    customer: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship()
    account: Mapped[FundingAccount | None] = relationship()
    quote_lines: Mapped[list[QuoteLine]] = relationship(
        cascade="all, delete-orphan", order_by="QuoteLine.id"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        cascade="all, delete-orphan", order_by="OrderEvent.id"
    )
    results: Mapped[list[ResultFile]] = relationship(
        cascade="all, delete-orphan", order_by="ResultFile.id"
    )


class QuoteLine(db.Model):
    """One line of a quote; per-sample lines are charged per sample actually measured."""

    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    unit_price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
    per_sample: Mapped[bool] = mapped_column(default=False)


class OrderEvent(db.Model):
    """The audit history of an order."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    from_status: Mapped[OrderStatus | None] = mapped_column(
        enum_column(OrderStatus, "order_event_from"), default=None
    )
    to_status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, "order_event_to"))
    note: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()


class ResultFile(db.Model):
    """A result file, stored outside the web root under a random name."""

    __tablename__ = "result_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
