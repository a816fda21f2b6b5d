"""Schemas of instruments, their rules, rates and billing terms."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma
from flask import url_for

from sharing.api.base import Day, DecimalText, Money, PageArgs, Rate, RecordId, Whole, ZonedDateTime
from sharing.api.schemas.agents import AgentStatusSchema
from sharing.api.schemas.cruises import VesselInSchema, VesselSchema
from sharing.assessment.ratings import NO_RATINGS
from sharing.cruises.services import vessel_of
from sharing.instruments.catalog import SORTS
from sharing.instruments.models import InstrumentStatus
from sharing.instruments.register import (
    NATIONAL_CODE,
    InstrumentSource,
    ShareMode,
    countries,
    country_name,
    normal_country,
)
from sharing.instruments.rules import (
    DEFAULT_RULES,
    BookingUnit,
    CustomerCategory,
    OpenWindow,
    RateUnit,
    format_minute,
    parse_minute,
)

Range = ma.validate.Range


class ClockTime(ma.fields.String):
    """'HH:MM' as minutes since midnight; '24:00' allowed."""

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_minute(text)
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from exc

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_minute(value)


class OpenWindowSchema(ma.Schema):
    weekday = Whole(required=True, validate=Range(0, 6))
    start = ClockTime(required=True, attribute="start_minute", data_key="start")
    end = ClockTime(required=True, attribute="end_minute", data_key="end")

    @ma.validates_schema
    def _start_before_day_end(self, data, **kwargs):
        if data.get("start_minute", 0) >= 24 * 60:
            raise ma.ValidationError("a window starts before 24:00", "start")

    @ma.post_load
    def _window(self, data, **kwargs) -> OpenWindow:
        return OpenWindow(data["weekday"], data["start_minute"], data["end_minute"])


class RulesSchema(ma.Schema):
    slot_minutes = Whole(validate=Range(5, 1440), dump_default=DEFAULT_RULES.slot_minutes)
    min_minutes = Whole(validate=Range(5, 60 * 24 * 14))
    max_minutes = Whole(validate=Range(5, 60 * 24 * 14))
    notice_hours = Whole(validate=Range(0, 24 * 60))
    horizon_days = Whole(validate=Range(1, 730))
    buffer_minutes = Whole(validate=Range(0, 1440))
    max_future_bookings = Whole(allow_none=True, validate=Range(1, 1000))
    max_hours_per_week = Whole(allow_none=True, validate=Range(1, 168))
    open_hours = ma.fields.List(ma.fields.Nested(OpenWindowSchema))
    # Day instruments (loans): whole days, and days after a return kept for inspection.
    min_days = Whole(validate=Range(1, 365))
    max_days = Whole(validate=Range(1, 365))
    turnaround_days = Whole(validate=Range(0, 60))


class RateSchema(ma.Schema):
    category = ma.fields.Enum(CustomerCategory, by_value=True, required=True)
    unit = ma.fields.Enum(RateUnit, by_value=True, required=True)
    price = Money(required=True)


class BillingSchema(ma.Schema):
    increment_minutes = Whole(validate=Range(1, 1440))
    minimum_quantity = DecimalText(places=2, maximum=Decimal(10000))
    cancel_window_hours = Whole(validate=Range(0, 24 * 60))
    late_cancel_share = Rate(places=2)
    no_show_share = Rate(places=2)
    no_show_grace_minutes = Whole(validate=Range(0, 24 * 60))
    check_in_window_minutes = Whole(validate=Range(0, 24 * 60))


def _text(max_length: int, min_length: int = 0, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=min_length, max=max_length), **kwargs)


def _known_country(code: str) -> None:
    if code and normal_country(code) not in countries():
        raise ma.ValidationError("An ISO 3166-1 alpha-2 code, e.g. CN, DE, US.")


class InstrumentInSchema(ma.Schema):
    """The body of POST and PATCH /instruments."""

    name = _text(200, min_length=1, required=True)
    name_en = _text(200)
    category = ma.fields.String(required=True)
    organisation = ma.fields.String()
    model = _text(120)
    manufacturer = _text(120)
    location = _text(200)
    original_value = Money()
    year_commissioned = Whole(allow_none=True, validate=Range(1950, 2100))
    specifications = _text(20000)
    functions = _text(20000)
    applications = _text(20000)
    photo_url = _text(300)
    contact_name = _text(120)
    contact_phone = _text(40)
    contact_email = ma.fields.Email(validate=ma.validate.Length(max=254))
    status = ma.fields.Enum(InstrumentStatus, by_value=True)
    requires_approval = ma.fields.Boolean()
    requires_training = ma.fields.Boolean()
    accepts_samples = ma.fields.Boolean()
    turnaround_days = Whole(allow_none=True, validate=Range(1, 365))
    qualification_months = Whole(validate=Range(1, 120))
    waitlist_hold_minutes = Whole(validate=Range(5, 7 * 24 * 60))
    sample_quote_required = ma.fields.Boolean()
    booking_unit = ma.fields.Enum(BookingUnit, by_value=True)
    deposit = Money()
    replacement_value = Money(allow_none=True)
    insurance_required = ma.fields.Boolean()
    mobilisation_fee = Money()
    rules = ma.fields.Nested(RulesSchema)
    rates = ma.fields.List(ma.fields.Nested(RateSchema))
    billing = ma.fields.Nested(BillingSchema)
    national_code = ma.fields.String(
        validate=ma.validate.Regexp(
            rf"^(?:{NATIONAL_CODE.pattern})?$",
            error="Six or eight digits of the national classification.",
        )
    )
    source = ma.fields.Enum(InstrumentSource, by_value=True, allow_none=True)
    country_of_origin = ma.fields.String(validate=_known_country)
    share_mode = ma.fields.Enum(ShareMode, by_value=True)
    purchased_on = Day(allow_none=True)
    # A research vessel's capacity (category research-vessels).
    vessel = ma.fields.Nested(VesselInSchema)


class PhotoSchema(ma.Schema):
    id = Whole()
    url = ma.fields.Function(lambda p: url_for("instruments.photo", name=f"{p.stored_name}.jpg"))
    thumbnail_url = ma.fields.Function(
        lambda p: url_for("instruments.photo", name=f"{p.stored_name}-thumb.jpg")
    )


# Made once: a schema's construction copies its fields, which cost a catalog page more than the
# dumping itself when done for every instrument.
RULES_SCHEMA = RulesSchema()
BILLING_SCHEMA = BillingSchema()
VESSEL_SCHEMA = VesselSchema()


class InstrumentSchema(ma.Schema):
    """An instrument as the API shows it."""

    id = Whole()
    name = ma.fields.String()
    name_en = ma.fields.String()
    model = ma.fields.String()
    manufacturer = ma.fields.String()
    category = ma.fields.Function(lambda i: i.category.slug)
    organisation = ma.fields.Function(lambda i: i.organisation.slug)
    organisation_name = ma.fields.Function(lambda i: i.organisation.name)
    location = ma.fields.String()
    original_value = Money()
    year_commissioned = Whole(allow_none=True)
    specifications = ma.fields.String()
    functions = ma.fields.String()
    applications = ma.fields.String()
    photo_url = ma.fields.String()
    contact_name = ma.fields.String()
    contact_phone = ma.fields.String()
    contact_email = ma.fields.String()
    status = ma.fields.Enum(InstrumentStatus, by_value=True)
    requires_approval = ma.fields.Boolean()
    requires_training = ma.fields.Boolean()
    accepts_samples = ma.fields.Boolean()
    turnaround_days = Whole(allow_none=True)
    sample_quote_required = ma.fields.Boolean()
    qualification_months = Whole()
    waitlist_hold_minutes = Whole()
    booking_unit = ma.fields.Enum(BookingUnit, by_value=True)
    deposit = Money()
    replacement_value = Money(allow_none=True)
    insurance_required = ma.fields.Boolean()
    mobilisation_fee = Money()
    rules = ma.fields.Method("_rules")
    rates = ma.fields.List(ma.fields.Nested(RateSchema))
    billing = ma.fields.Method("_billing")
    photos = ma.fields.List(ma.fields.Nested(PhotoSchema))
    national_code = ma.fields.String()
    source = ma.fields.Enum(InstrumentSource, by_value=True, allow_none=True)
    country_of_origin = ma.fields.String()
    country_name = ma.fields.Function(
        lambda i: country_name(i.country_of_origin) if i.country_of_origin else ""
    )
    share_mode = ma.fields.Enum(ShareMode, by_value=True)
    purchased_on = Day(allow_none=True)
    rating = ma.fields.Method("_rating", metadata={"description": "{average, count}"})
    vessel = ma.fields.Method(
        "_vessel",
        metadata={
            "description": "{berths, deck_m2, lab_m2, home_port, length_m, endurance_days} of a "
            "research vessel; null for other instruments"
        },
    )

    def _vessel(self, instrument) -> dict | None:
        vessel = vessel_of(instrument)
        return None if vessel is None else VESSEL_SCHEMA.dump(vessel)

    def _rating(self, instrument) -> dict:
        # Set by the view from one query for the whole page (sharing.assessment.ratings).
        found = getattr(instrument, "rating_summary", NO_RATINGS)
        average = None if found.average is None else float(found.average)
        return {"average": average, "count": found.count}

    def _rules(self, instrument) -> dict:
        return RULES_SCHEMA.dump(instrument.booking_rules())

    def _billing(self, instrument) -> dict:
        return BILLING_SCHEMA.dump(instrument.billing_terms())


class InstrumentDetailSchema(InstrumentSchema):
    """One instrument, with its agents' status (`null` when it has none; the view sets it). The
    catalog's list, answered from kept copies, leaves it out: five minutes of silence change it
    without a write."""

    agent = ma.fields.Nested(AgentStatusSchema, allow_none=True, attribute="agent_status")


class InstrumentQuerySchema(PageArgs):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    category = ma.fields.String()
    organisation = ma.fields.String()
    status = ma.fields.Enum(InstrumentStatus, by_value=True)
    min_price = Money()
    max_price = Money()
    sort = ma.fields.String(validate=ma.validate.OneOf(SORTS))


class QualifiedUserInSchema(ma.Schema):
    user_id = RecordId(required=True)


class QualifiedUserSchema(ma.Schema):
    instrument_id = Whole()
    user_id = Whole()
    granted_at = ZonedDateTime()
