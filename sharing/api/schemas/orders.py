"""Schemas of sample testing orders."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from sharing.api.base import DecimalText, Money, Whole, ZonedDateTime
from sharing.orders.inputs import OrderInSchema
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Delivery

Range = ma.validate.Range
Length = ma.validate.Length
__all__ = ["OrderInSchema"]  # the order page validates with the same schema


class QuoteLineSchema(ma.Schema):
    description = ma.fields.String(required=True, validate=Length(1, 300))
    quantity = DecimalText(required=True, places=4, maximum=Decimal(100_000))
    unit_price = Money(required=True)
    per_sample = ma.fields.Boolean(load_default=False)
    amount = Money(dump_only=True)


class QuoteInSchema(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(QuoteLineSchema), load_default=list)
    note = ma.fields.String(load_default="", validate=Length(max=1000))


class NoteSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=Length(max=1000))


class ReceiveInSchema(ma.Schema):
    received_samples = Whole(required=True, validate=Range(0, 10_000))
    note = ma.fields.String(load_default="", validate=Length(max=2000))


class OrderCompleteInSchema(ma.Schema):
    measured_samples = Whole(required=True, validate=Range(0, 10_000))
    note = ma.fields.String(load_default="", validate=Length(max=2000))


class ResultSchema(ma.Schema):
    id = Whole()
    filename = ma.fields.String()
    size = Whole()
    content_type = ma.fields.String()
    created_at = ZonedDateTime()


class OrderSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda o: o.instrument.name)
    organisation = ma.fields.Function(lambda o: o.customer.slug)
    status = ma.fields.Enum(OrderStatus, by_value=True)
    samples = Whole()
    sample_type = ma.fields.String()
    description = ma.fields.String()
    hazards = ma.fields.String()
    analysis = ma.fields.String()
    turnaround_days = Whole(allow_none=True)
    delivery = ma.fields.Enum(Delivery, by_value=True)
    tracking_number = ma.fields.String()
    received_samples = Whole(allow_none=True)
    measured_samples = Whole(allow_none=True)
    quote_total = Money(allow_none=True)
    account_id = Whole(allow_none=True)
    quote_lines = ma.fields.List(ma.fields.Nested(QuoteLineSchema))
    results = ma.fields.List(ma.fields.Nested(ResultSchema))
    created_at = ZonedDateTime()


class OrderListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OrderSchema))


class OrderEventSchema(ma.Schema):
    at = ZonedDateTime()
    actor = ma.fields.Function(
        lambda e: {"id": e.actor.id, "name": e.actor.name} if e.actor else None
    )
    from_status = ma.fields.Enum(OrderStatus, by_value=True, allow_none=True)
    to_status = ma.fields.Enum(OrderStatus, by_value=True)
    note = ma.fields.String()


class OrderHistorySchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OrderEventSchema))


class RunInSchema(ma.Schema):
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)
