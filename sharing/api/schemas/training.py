"""Schemas of training requests and a caller's qualification."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import PageArgs, Whole, ZonedDateTime
from sharing.training.models import TrainingStatus


class PersonSchema(ma.Schema):
    id = Whole()
    name = ma.fields.String()


class SessionSchema(ma.Schema):
    id = Whole()
    start = ZonedDateTime()
    end = ZonedDateTime()


class TrainingRequestSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda r: r.instrument.name)
    user = ma.fields.Nested(PersonSchema)
    note = ma.fields.String()
    status = ma.fields.Enum(TrainingStatus, by_value=True)
    session = ma.fields.Nested(SessionSchema, attribute="booking", allow_none=True)
    reason = ma.fields.String()
    created_at = ZonedDateTime()
    updated_at = ZonedDateTime()


class QualificationSchema(ma.Schema):
    status = ma.fields.String()
    expires_at = ZonedDateTime(allow_none=True)
    request_id = Whole(allow_none=True)


class TrainingRequestInSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))


class TrainingQuerySchema(PageArgs):
    status = ma.fields.Enum(TrainingStatus, by_value=True)


class ScheduleInSchema(ma.Schema):
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)


class GrantInSchema(ma.Schema):
    expires_at = ZonedDateTime(load_default=None, allow_none=True)


class DeclineInSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
