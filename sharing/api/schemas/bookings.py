"""Schemas of bookings, their history, availability, free slots and downtimes."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Money, PageArgs, RecordId, Whole, ZonedDateTime
from sharing.api.schemas.instruments import OpenWindowSchema
from sharing.billing.estimates import booking_estimate
from sharing.bookings.lifecycle import BookingStatus

Range = ma.validate.Range


class RepeatSchema(ma.Schema):
    freq = ma.fields.String(required=True, validate=ma.validate.OneOf(["daily", "weekly"]))
    count = Whole(required=True, validate=Range(2, 52))


class BookingInSchema(ma.Schema):
    instrument_id = RecordId(required=True)
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)
    purpose = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    user_id = RecordId()
    repeat = ma.fields.Nested(RepeatSchema)
    account_id = RecordId(allow_none=True)
    # Only check and price the request (api.md, "Cost before commitment"): nothing is held.
    dry_run = ma.fields.Boolean(load_default=False)

    @ma.validates_schema
    def _end_after_start(self, data, **kwargs):
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise ma.ValidationError("must be after start", "end")


class BookingSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda b: b.instrument.name)
    user_id = Whole()
    user_name = ma.fields.Function(lambda b: b.user.name)
    start = ZonedDateTime()
    end = ZonedDateTime()
    status = ma.fields.Enum(BookingStatus, by_value=True)
    purpose = ma.fields.String()
    series_id = ma.fields.String(allow_none=True)
    on_behalf = ma.fields.Boolean()
    account_id = Whole(allow_none=True)
    # A sample run: the order it serves and that order's organisation (api.md, "Exactly once").
    order_id = Whole(allow_none=True)
    customer_organisation = ma.fields.Function(
        lambda b: b.customer.slug if b.customer is not None else None, allow_none=True
    )
    created_at = ZonedDateTime()
    # Real use: checked in and out by the booker or the instrument's agent (api.md).
    checked_in_at = ZonedDateTime(allow_none=True)
    checked_out_at = ZonedDateTime(allow_none=True)
    used_start = ZonedDateTime(allow_none=True)
    used_end = ZonedDateTime(allow_none=True)
    # What it costs at today's rates for the booker's category, as booked (api.md).
    estimate = Money(attribute="estimate_amount")

    @ma.pre_dump
    def _price(self, booking, **kwargs):
        booking.estimate_amount = booking_estimate(booking)
        return booking


class ViolationSchema(ma.Schema):
    code = ma.fields.String()
    message = ma.fields.String()


class ClashSchema(ma.Schema):
    start = ma.fields.String()
    end = ma.fields.String()
    kind = ma.fields.String()


class DryRunSchema(ma.Schema):
    """A request checked and priced, nothing held: the booking form's live estimate."""

    estimate = Money()
    violations = ma.fields.List(ma.fields.Nested(ViolationSchema))
    conflicts = ma.fields.List(ma.fields.Nested(ClashSchema))


class BookingListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(BookingSchema))


class BookingQuerySchema(PageArgs):
    instrument_id = RecordId()
    status = ma.fields.Enum(BookingStatus, by_value=True)
    from_ = ZonedDateTime(data_key="from")
    to = ZonedDateTime()


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))


class DecisionsInSchema(ReasonSchema):
    ids = ma.fields.List(RecordId(), required=True, validate=ma.validate.Length(1, 200))
    decision = ma.fields.String(
        required=True, validate=ma.validate.OneOf(["approve", "reject", "cancel"])
    )


class DecisionResultSchema(ma.Schema):
    id = Whole()
    ok = ma.fields.Boolean()
    status = ma.fields.String()
    error = ma.fields.String()
    message = ma.fields.String()


class DecisionsSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DecisionResultSchema))


class HistoryEventSchema(ma.Schema):
    at = ZonedDateTime()
    actor = ma.fields.Function(
        lambda e: {"id": e.actor.id, "name": e.actor.name} if e.actor else None
    )
    from_status = ma.fields.Enum(BookingStatus, by_value=True, allow_none=True)
    to_status = ma.fields.Enum(BookingStatus, by_value=True)
    reason = ma.fields.String()


class HistorySchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(HistoryEventSchema))


class WindowArgs(ma.Schema):
    from_ = ZonedDateTime(data_key="from", required=True)
    to = ZonedDateTime(required=True)

    @ma.validates_schema
    def _bounded(self, data, **kwargs):
        if "from_" in data and "to" in data:
            span = data["to"] - data["from_"]
            if span.total_seconds() <= 0:
                raise ma.ValidationError("must be after from", "to")
            if span.days > 92:
                raise ma.ValidationError("ask for at most 92 days at a time", "to")


class BusySchema(ma.Schema):
    start = ZonedDateTime()
    end = ZonedDateTime()
    kind = ma.fields.String()
    booked_until = ZonedDateTime()  # a booking's own end when its buffer follows
    mine = ma.fields.Boolean()  # the caller's own booking
    booking_id = Whole()
    status = ma.fields.String()
    user = ma.fields.String()
    order_id = Whole()
    reason = ma.fields.String()
    loan_id = Whole()  # a loan's days (kind "loan"), for the instrument's managers


class AvailabilitySchema(ma.Schema):
    busy = ma.fields.List(ma.fields.Nested(BusySchema))
    open_hours = ma.fields.List(ma.fields.Nested(OpenWindowSchema))


class FreeSlotArgs(ma.Schema):
    duration_minutes = Whole(required=True, validate=Range(5, 60 * 24 * 14))
    after = ZonedDateTime()
    limit = Whole(load_default=5, validate=Range(1, 50))


class SlotSchema(ma.Schema):
    start = ZonedDateTime()
    end = ZonedDateTime()


class SlotListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SlotSchema))


class DowntimeInSchema(ma.Schema):
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))


class DowntimeSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    start = ZonedDateTime()
    end = ZonedDateTime()
    reason = ma.fields.String()
    affected_bookings = ma.fields.List(Whole())


class CancelledSchema(ma.Schema):
    cancelled = ma.fields.List(Whole())
