"""Booking, BookingEvent (the audit history), Downtime and the waiting list."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import BindParameter

from sharing.auth.models import User
from sharing.bookings.lifecycle import ACTIVE_STATUSES, BookingStatus
from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.core.feedversions import instrument_key
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.instruments.models import Instrument
from sharing.orgs.models import Organisation
from sharing.util.timeutil import Interval, utcnow

# No booking is longer than 14 days plus a day of buffer: a lower bound for overlap queries,
# so their cost does not grow with the instrument's history.
LONGEST_BLOCK = timedelta(days=15)
ACTIVE_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(ACTIVE_STATUSES)))


class Booking(db.Model):
    """A reservation of instrument time; while active it blocks [start, blocked_until)."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint('"end" > start', name="end_after_start"),
        CheckConstraint('blocked_until >= "end"', name="blocked_covers_booking"),
        Index("ix_bookings_instrument_start", "instrument_id", "start"),
        Index("ix_bookings_user_start", "user_id", "start"),
        # The reports' days after the rollup's mark: the bookings still reaching past it.
        Index("ix_bookings_end", "end"),
        Index("ix_bookings_used_end", "used_end"),
        # The database itself refuses overlapping active bookings of one instrument
        # (PostgreSQL only; SQLite serialises writers instead). Mirrors conflicts.find_conflicts.
        ExcludeConstraint(
            ("instrument_id", "="),
            (text("tstzrange(start, blocked_until, '[)')"), "&&"),
            name="ex_bookings_no_overlap",
            using="gist",
            where=text(ACTIVE_SQL),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    # The end plus the instrument's buffer when booked: later rule changes leave it alone.
    blocked_until: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "booking_status"))
    purpose: Mapped[str] = mapped_column(Text, default="")
    series_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    # A sample run the lab scheduled for a testing order (shown to others as "sample run").
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), default=None, index=True)
    # The organisation a sample run serves (the order's customer): reports count it as theirs.
    customer_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), default=None
    )
    # The grant (课题/经费卡) that pays for it; its charges carry the same account.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("funding_accounts.id"), default=None, index=True
    )
    # Rises with every change, for calendar clients that only update on a higher SEQUENCE.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Actual use, recorded at the instrument or by a manager.
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # When the booker (or the instrument's agent) checked out: None for use a manager entered.
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    used_start: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    used_end: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # When its reminders were claimed and sent (sharing.reminders): each once, by one server.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    checkout_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    samples: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    instrument: Mapped[Instrument] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    customer: Mapped[Organisation | None] = relationship(foreign_keys=[customer_org_id])
    account: Mapped[FundingAccount | None] = relationship()
    events: Mapped[list[BookingEvent]] = relationship(
        back_populates="booking", order_by="BookingEvent.id", cascade="all, delete-orphan"
    )

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def version_keys(self) -> tuple[str | None, ...]:
        """The instrument schedule this booking belongs to (see sharing.core.feedversions)."""
        return (instrument_key(self.instrument_id or self.instrument.id),)


class BookingEvent(db.Model):
    """One change of a booking's state: who, when, from what to what, and why."""

    __tablename__ = "booking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    from_status: Mapped[BookingStatus | None] = mapped_column(
        enum_column(BookingStatus, "event_from_status"), default=None
    )
    to_status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "event_to_status"))
    reason: Mapped[str] = mapped_column(Text, default="")

    booking: Mapped[Booking] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


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

    def version_keys(self) -> tuple[str | None, ...]:
        return (instrument_key(self.instrument_id),)


class Suspension(db.Model):
    """A user may not book an organisation's instruments until a manager lifts this."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)


def of_instruments(column, instrument_id):
    """SQL: `column` is the instrument (a value or a bound parameter) or one of several (a list,
    or an expanding bound parameter): the busy reads of one instrument and of a loan's items."""
    if isinstance(instrument_id, (list, tuple, set, frozenset)):
        return column.in_(sorted(instrument_id))
    if isinstance(instrument_id, BindParameter) and instrument_id.expanding:
        return column.in_(instrument_id)
    return column == instrument_id


def blocks(instrument_id, start, end, earliest=None):
    """SQL: the instrument's (or instruments', see `of_instruments`) active bookings whose
    blocked range overlaps [start, end).

    The half-open overlap rule of `conflicts.find_conflicts` (and of the exclusion constraint),
    bounded below by LONGEST_BLOCK so that the index on (instrument, start) serves it. Table
    columns, not the mapped ones, so that a statement built once from bound parameters (pass
    `earliest` then: SQLite does no date arithmetic) runs without the ORM's per-call work.
    """
    column = Booking.__table__.c
    return and_(
        of_instruments(column.instrument_id, instrument_id),
        column.status.in_(sorted(ACTIVE_STATUSES)),
        column.start < end,
        column.start >= (start - LONGEST_BLOCK if earliest is None else earliest),
        column.blocked_until > start,
    )


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # the range is held for this user until offer_expires_at
    ACCEPTED = "accepted"
    EXPIRED = "expired"  # the offer lapsed unanswered
    CANCELLED = "cancelled"  # left the line


LINE_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistEntry(db.Model):
    """A user in line for a taken range of an instrument; an offer holds it for them alone."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint('"end" > start', name="end_after_start"),
        Index("ix_waitlist_entries_instrument_start", "instrument_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[WaitlistStatus] = mapped_column(
        enum_column(WaitlistStatus, "waitlist_status"), default=WaitlistStatus.WAITING
    )
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    instrument: Mapped[Instrument] = relationship()
    user: Mapped[User] = relationship()

    def version_keys(self) -> tuple[str | None, ...]:
        """A hold is busy time in the instrument's availability."""
        return (instrument_key(self.instrument_id),)

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


def holds(instrument_id, start, end, now):
    """SQL: live offers on the instrument whose range overlaps [start, end) (table columns, as
    `blocks`)."""
    column = WaitlistEntry.__table__.c
    return and_(
        of_instruments(column.instrument_id, instrument_id),
        column.status == WaitlistStatus.OFFERED,
        column.offer_expires_at > now,
        column.start < end,
        column.end > start,
    )
