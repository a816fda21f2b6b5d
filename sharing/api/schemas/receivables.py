"""Schemas of receivables and invoices."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Day, Money, Whole, ZonedDateTime
from sharing.api.schemas.billing import MONTH


class ReceivableArgs(ma.Schema):
    month = ma.fields.String(required=True, validate=MONTH)
    organisation = ma.fields.String(validate=ma.validate.Length(1, 40))


class InvoiceInSchema(ma.Schema):
    customer = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    month = ma.fields.String(required=True, validate=MONTH)
    number = ma.fields.String(required=True, validate=ma.validate.Length(1, 60))
    issued_on = Day(load_default=None)
    organisation = ma.fields.String(validate=ma.validate.Length(1, 40))


class PaidInSchema(ma.Schema):
    paid_on = Day(required=True)


class InvoiceSchema(ma.Schema):
    id = Whole()
    provider = ma.fields.Function(lambda i: i.provider.slug)
    customer = ma.fields.Function(lambda i: i.customer.slug)
    customer_name = ma.fields.Function(lambda i: i.customer.name)
    month = ma.fields.String()
    number = ma.fields.String()
    amount = Money()
    issued_on = Day()
    paid_on = Day(allow_none=True)
    status = ma.fields.Function(lambda i: "paid" if i.paid_on else "invoiced")
    charge_ids = ma.fields.Function(lambda i: [charge.id for charge in i.charges])
    created_at = ZonedDateTime()


class ReceivableInvoiceSchema(ma.Schema):
    id = Whole()
    number = ma.fields.String()
    amount = Money()
    issued_on = Day()
    paid_on = Day(allow_none=True)


class ReceivableSchema(ma.Schema):
    customer = ma.fields.Function(lambda r: r.customer.slug)
    customer_name = ma.fields.Function(lambda r: r.customer.name)
    month = ma.fields.String()
    amount = Money()
    invoiced = Money()
    paid = Money()
    outstanding = Money()
    lines = Whole()
    status = ma.fields.String()
    overdue = ma.fields.Boolean()
    invoices = ma.fields.List(ma.fields.Nested(ReceivableInvoiceSchema))


class ReceivableListSchema(ma.Schema):
    organisation = ma.fields.String()
    month = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(ReceivableSchema))
    total = Money()
