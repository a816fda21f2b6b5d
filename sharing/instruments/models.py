"""Catalog models: Category, Instrument, its open hours and its rates."""

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
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    event,
    false,
    func,
    select,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.core.dbtypes import Money, ScaledDecimal, UTCDateTime, enum_column
from sharing.core.feedversions import CATALOG_KEY, instrument_key
from sharing.extensions import db

# Photos are mapped with their instrument, wherever the instrument is imported from.
from sharing.instruments.attached import InstrumentPhoto, QualifiedUser  # noqa: F401
from sharing.instruments.register import InstrumentSource, ShareMode
from sharing.instruments.rules import DEFAULT_BILLING as BILL
from sharing.instruments.rules import DEFAULT_RULES as RULE
from sharing.instruments.rules import (
    BillingTerms,
    BookingRules,
    BookingUnit,
    CustomerCategory,
    OpenWindow,
    RateUnit,
)
from sharing.instruments.search import search_columns
from sharing.orgs.models import Organisation
from sharing.util.pinyin import pinyin_key
from sharing.util.timeutil import utcnow

LARGE_INSTRUMENT_VALUE = Decimal("500000.00")
# Categories whose use is ship time, counted in days by cruise (sharing.cruises), not in hours.
SHIP_TIME_CATEGORIES = ("research-vessels",)
DEFAULT_QUALIFICATION_MONTHS = 12


class InstrumentStatus(enum.StrEnum):
    AVAILABLE = "available"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


class Category(db.Model):
    """Reference data created by the first migration; slugs are part of the API contract."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


# The catalog's default scope, as its partial indexes say it (the query must say it alike).
LISTED = "status <> 'retired'"


class Instrument(db.Model):
    """A shared instrument with its catalog record, booking rules and billing terms."""

    __tablename__ = "instruments"
    __table_args__ = (
        CheckConstraint("original_value >= 0", name="original_value_not_negative"),
        CheckConstraint("slot_minutes > 0", name="slot_positive"),
        CheckConstraint("min_minutes > 0 AND max_minutes >= min_minutes", name="duration_range"),
        CheckConstraint("notice_hours >= 0 AND horizon_days > 0", name="notice_horizon"),
        CheckConstraint("buffer_minutes >= 0", name="buffer_not_negative"),
        CheckConstraint("increment_minutes > 0", name="increment_positive"),
        CheckConstraint(
            "min_days >= 1 AND max_days >= min_days AND loan_turnaround_days >= 0",
            name="loan_days_range",
        ),
        CheckConstraint(
            "deposit >= 0 AND mobilisation_fee >= 0 "
            "AND (replacement_value IS NULL OR replacement_value >= 0)",
            name="loan_money_not_negative",
        ),
        # Word search is LIKE '%word%': trigram indexes answer it on PostgreSQL (migration 0009).
        *(
            Index(
                f"ix_instruments_{searched}_trgm",
                searched,
                postgresql_using="gin",
                postgresql_ops={searched: "gin_trgm_ops"},
            ).ddl_if(dialect="postgresql")
            for searched in ("search_name", "search_text")
        ),
        # Two-character words and abbreviations, which trigrams cannot answer: the function is
        # migration 0015's.
        Index(
            "ix_instruments_search_pairs",
            func.instrument_search_pairs(column("search_text"), column("model")),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
        # The catalog's default order and its count, for all of it and per category, from the
        # indexes alone (migration 0015); retired instruments are not listed unless asked for.
        Index(
            "ix_instruments_name_id",
            "name",
            "id",
            postgresql_where=text(LISTED),
            sqlite_where=text(LISTED),
        ),
        Index(
            "ix_instruments_category_name",
            "category_id",
            "name",
            "id",
            postgresql_where=text(LISTED),
            sqlite_where=text(LISTED),
        ),
        Index("ix_instruments_status", "status"),  # counts the whole catalog from the index
        # The name order by pinyin (migration 0030), for all of it and per category.
        Index(
            "ix_instruments_name_sort_id",
            "name_sort",
            "id",
            postgresql_where=text(LISTED),
            sqlite_where=text(LISTED),
        ),
        Index(
            "ix_instruments_category_name_sort",
            "category_id",
            "name_sort",
            "id",
            postgresql_where=text(LISTED),
            sqlite_where=text(LISTED),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    model: Mapped[str] = mapped_column(String(120), default="")
    manufacturer: Mapped[str] = mapped_column(String(120), default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    original_value: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    year_commissioned: Mapped[int | None] = mapped_column(Integer, default=None)
    specifications: Mapped[str] = mapped_column(Text, default="")
    functions: Mapped[str] = mapped_column(Text, default="")
    applications: Mapped[str] = mapped_column(Text, default="")
    photo_url: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[InstrumentStatus] = mapped_column(
        enum_column(InstrumentStatus, "instrument_status"), default=InstrumentStatus.AVAILABLE
    )
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_training: Mapped[bool] = mapped_column(Boolean, default=False)
    accepts_samples: Mapped[bool] = mapped_column(Boolean, default=False)
    turnaround_days: Mapped[int | None] = mapped_column(Integer, default=None)
    # The national register's fields (register.py), reported yearly for large instruments.
    national_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    source: Mapped[InstrumentSource | None] = mapped_column(
        enum_column(InstrumentSource, "instrument_source"), default=None
    )
    country_of_origin: Mapped[str] = mapped_column(String(2), default="", server_default="")
    share_mode: Mapped[ShareMode] = mapped_column(
        enum_column(ShareMode, "share_mode"), default=ShareMode.OPEN, server_default="open"
    )
    purchased_on: Mapped[date | None] = mapped_column(Date, default=None)
    # Without a quote step, orders are accepted at the rate card's per-sample price.
    sample_quote_required: Mapped[bool] = mapped_column(
        Boolean, default=True, server_default=true()
    )

    slot_minutes: Mapped[int] = mapped_column(Integer, default=RULE.slot_minutes)
    min_minutes: Mapped[int] = mapped_column(Integer, default=RULE.min_minutes)
    max_minutes: Mapped[int] = mapped_column(Integer, default=RULE.max_minutes)
    notice_hours: Mapped[int] = mapped_column(Integer, default=RULE.notice_hours)
    horizon_days: Mapped[int] = mapped_column(Integer, default=RULE.horizon_days)
    buffer_minutes: Mapped[int] = mapped_column(Integer, default=RULE.buffer_minutes)
    max_future_bookings: Mapped[int | None] = mapped_column(Integer, default=None)
    max_hours_per_week: Mapped[int | None] = mapped_column(Integer, default=None)

    increment_minutes: Mapped[int] = mapped_column(Integer, default=BILL.increment_minutes)
    minimum_quantity: Mapped[Decimal] = mapped_column(
        ScaledDecimal(2), default=BILL.minimum_quantity
    )
    cancel_window_hours: Mapped[int] = mapped_column(Integer, default=BILL.cancel_window_hours)
    late_cancel_share: Mapped[Decimal] = mapped_column(
        ScaledDecimal(2), default=BILL.late_cancel_share
    )
    no_show_share: Mapped[Decimal] = mapped_column(ScaledDecimal(2), default=BILL.no_show_share)
    no_show_grace_minutes: Mapped[int] = mapped_column(Integer, default=BILL.no_show_grace_minutes)
    check_in_window_minutes: Mapped[int] = mapped_column(
        Integer, default=BILL.check_in_window_minutes
    )
    # How long a training qualification lasts before it must be renewed.
    qualification_months: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_QUALIFICATION_MONTHS, server_default="12"
    )
    # How long a freed range is held for the first in line before it passes to the next.
    waitlist_hold_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")

    # Day instruments are lent by whole days (sharing.loans), never booked by the slot.
    booking_unit: Mapped[BookingUnit] = mapped_column(
        enum_column(BookingUnit, "booking_unit"), default=BookingUnit.SLOT, server_default="slot"
    )
    min_days: Mapped[int] = mapped_column(Integer, default=RULE.min_days, server_default="1")
    max_days: Mapped[int] = mapped_column(Integer, default=RULE.max_days, server_default="30")
    # Days after a return the gear is kept for inspection (`turnaround_days` above is the
    # sample service's, an older field of the API).
    loan_turnaround_days: Mapped[int] = mapped_column(
        Integer, default=RULE.turnaround_days, server_default="0"
    )
    deposit: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0")
    replacement_value: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    insurance_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    mobilisation_fee: Mapped[Decimal] = mapped_column(
        Money(), default=Decimal("0"), server_default="0"
    )

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Folded copies of the record for catalog search (sharing.instruments.search), kept by the
    # save hook below.
    search_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The Chinese name's pinyin (sharing.util.pinyin), the catalog's name order; same hook.
    name_sort: Mapped[str] = mapped_column(String(400), default="", server_default="")

    organisation: Mapped[Organisation] = relationship()
    category: Mapped[Category] = relationship()
    open_hours: Mapped[list[OpenHours]] = relationship(
        cascade="all, delete-orphan", order_by="(OpenHours.weekday, OpenHours.start_minute)"
    )
    rates: Mapped[list[Rate]] = relationship(
        cascade="all, delete-orphan", order_by="(Rate.unit, Rate.category)"
    )
    photos: Mapped[list[InstrumentPhoto]] = relationship(
        cascade="all, delete-orphan", order_by="InstrumentPhoto.id"
    )

    def version_keys(self) -> tuple[str | None, ...]:
        """Its schedule (open hours are part of availability) and the catalog it is listed in."""
        return (instrument_key(self.id), CATALOG_KEY)

    @property
    def is_large(self) -> bool:
        """Worth 500,000 yuan or more: the national assessment reports on these."""
        return self.original_value >= LARGE_INSTRUMENT_VALUE

    def booking_rules(self) -> BookingRules:
        """The rules as a plain value for the pure policy code."""
        return BookingRules(
            slot_minutes=self.slot_minutes,
            min_minutes=self.min_minutes,
            max_minutes=self.max_minutes,
            notice_hours=self.notice_hours,
            horizon_days=self.horizon_days,
            buffer_minutes=self.buffer_minutes,
            max_future_bookings=self.max_future_bookings,
            max_hours_per_week=self.max_hours_per_week,
            open_hours=tuple(window.as_window() for window in self.open_hours),
            min_days=self.min_days,
            max_days=self.max_days,
            turnaround_days=self.loan_turnaround_days,
        )

    @property
    def is_day_instrument(self) -> bool:
        """Lent by the day (sharing.loans) rather than booked by the slot."""
        return self.booking_unit == BookingUnit.DAY

    def billing_terms(self) -> BillingTerms:
        """The billing terms as a plain value for the pure pricing code."""
        return BillingTerms(
            increment_minutes=self.increment_minutes,
            minimum_quantity=self.minimum_quantity,
            cancel_window_hours=self.cancel_window_hours,
            late_cancel_share=self.late_cancel_share,
            no_show_share=self.no_show_share,
            no_show_grace_minutes=self.no_show_grace_minutes,
            check_in_window_minutes=self.check_in_window_minutes,
        )


# Categories are reference data, written by the first migration and never changed.
_category_names: dict[int, tuple[str, ...]] = {}


def _names_of_category(connection, category_id: int | None) -> tuple[str, ...]:
    if category_id not in _category_names:
        row = connection.execute(
            select(Category.name, Category.name_en).where(Category.id == category_id)
        ).first()
        if row is None:
            return ()
        _category_names[category_id] = tuple(row)
    return _category_names[category_id]


@event.listens_for(Instrument, "before_insert")
@event.listens_for(Instrument, "before_update")
def _fold_search_columns(_mapper, connection, instrument: Instrument) -> None:
    """Refresh the search columns from the record as it is saved, whoever saves it."""
    category_id = instrument.category_id or getattr(instrument.category, "id", None)
    category_names = _names_of_category(connection, category_id)
    instrument.search_name, instrument.search_text = search_columns(
        instrument.name or "",
        instrument.name_en or "",
        instrument.model or "",
        instrument.manufacturer or "",
        instrument.specifications or "",
        category_names,
    )
    instrument.name_sort = pinyin_key(instrument.name or "")


class OpenHours(db.Model):
    """One weekly window in the platform zone during which the instrument may be booked."""

    __tablename__ = "open_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_minute BETWEEN 0 AND 1439", name="start_range"),
        CheckConstraint("end_minute BETWEEN 0 AND 1440", name="end_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    def version_keys(self) -> tuple[str | None, ...]:
        return (instrument_key(self.instrument_id), CATALOG_KEY)

    def as_window(self) -> OpenWindow:
        return OpenWindow(self.weekday, self.start_minute, self.end_minute)


class Rate(db.Model):
    """The price of one unit for one customer category."""

    __tablename__ = "rates"
    __table_args__ = (
        UniqueConstraint("instrument_id", "category", "unit", name="uq_rates_instrument_category"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        # The catalog's price filter: the instruments within a price for one kind of customer,
        # read from the index alone (migration 0015).
        Index("ix_rates_price", "category", "unit", "price", "instrument_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[CustomerCategory] = mapped_column(
        enum_column(CustomerCategory, "customer_category")
    )
    unit: Mapped[RateUnit] = mapped_column(enum_column(RateUnit, "rate_unit"))
    price: Mapped[Decimal] = mapped_column(Money())

    def version_keys(self) -> tuple[str, ...]:
        return (CATALOG_KEY,)
