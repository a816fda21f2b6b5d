"""What a sample order must say: one schema for the order page and the API alike."""

from __future__ import annotations

import marshmallow as ma

from sharing.orders.models import Delivery
from sharing.util.inputs import MAX_SAMPLES
from sharing.util.numbers import MAX_INTEGER

Range = ma.validate.Range
Length = ma.validate.Length


class OrderInSchema(ma.Schema):
    instrument_id = ma.fields.Integer(required=True, strict=True, validate=Range(1, MAX_INTEGER))
    samples = ma.fields.Integer(required=True, strict=True, validate=Range(1, MAX_SAMPLES))
    sample_type = ma.fields.String(load_default="", validate=Length(max=200))
    description = ma.fields.String(load_default="", validate=Length(max=10_000))
    hazards = ma.fields.String(load_default="", validate=Length(max=2000))
    analysis = ma.fields.String(load_default="", validate=Length(max=5000))
    turnaround_days = ma.fields.Integer(allow_none=True, validate=Range(1, 365))
    delivery = ma.fields.Enum(Delivery, by_value=True, load_default=Delivery.IN_PERSON)
    tracking_number = ma.fields.String(load_default="", validate=Length(max=100))
    account_id = ma.fields.Integer(allow_none=True, strict=True, validate=Range(1, MAX_INTEGER))
