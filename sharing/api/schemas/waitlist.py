"""Schemas of the waiting list."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Whole, ZonedDateTime
from sharing.bookings.models import WaitlistStatus
from sharing.bookings.services import position


class WaitlistEntrySchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda e: e.instrument.name)
    start = ZonedDateTime()
    end = ZonedDateTime()
    status = ma.fields.Enum(WaitlistStatus, by_value=True)
    position = ma.fields.Function(position, allow_none=True)
    offer_expires_at = ZonedDateTime(allow_none=True)
    booking_id = Whole(allow_none=True)
    created_at = ZonedDateTime()


class WaitlistListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(WaitlistEntrySchema))


class WaitlistInSchema(ma.Schema):
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)
