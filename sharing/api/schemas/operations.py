"""Schemas of the operations API: the mail outbox (admins)."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import PageArgs, Whole, ZonedDateTime, page_schema
from sharing.core.outbox import STATUSES


class OutboxMailSchema(ma.Schema):
    id = Whole()
    to = ma.fields.String()
    subject = ma.fields.String()
    status = ma.fields.String()
    attempts = Whole()
    last_error = ma.fields.String(allow_none=True)
    created_at = ZonedDateTime()
    sent_at = ZonedDateTime(allow_none=True)
    next_attempt_at = ZonedDateTime(allow_none=True)


OutboxPageSchema = page_schema(OutboxMailSchema, "OutboxPage")


class OutboxQuerySchema(PageArgs):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(STATUSES))
