"""Schemas of the notification centre."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import PageArgs, Whole, ZonedDateTime


class NotificationSchema(ma.Schema):
    id = Whole()
    kind = ma.fields.String()
    text = ma.fields.String()
    url = ma.fields.String()
    created_at = ZonedDateTime()
    read_at = ZonedDateTime(allow_none=True)


class NotificationPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    total = Whole()
    page = Whole()
    per_page = Whole()
    unread = Whole()


class NotificationQuerySchema(PageArgs):
    unread = ma.fields.Boolean(load_default=False)


class ReadAllSchema(ma.Schema):
    marked = Whole()
