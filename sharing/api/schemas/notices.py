"""Schemas of the notification centre."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import PageArgs, ZonedDateTime


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    text = ma.fields.String()
    url = ma.fields.String()
    created_at = ZonedDateTime()
    read_at = ZonedDateTime(allow_none=True)


class NotificationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    unread = ma.fields.Integer()


class NotificationQuerySchema(PageArgs):
    unread = ma.fields.Boolean(load_default=False)


class ReadAllSchema(ma.Schema):
    marked = ma.fields.Integer()
