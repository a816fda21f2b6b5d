"""Schemas of usage, charges, statements and reports."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import DecimalText, Money, SignedMoney, ZonedDateTime

MONTH = ma.validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="YYYY-MM")


class AtSchema(ma.Schema):
    at = ZonedDateTime()


class UsageInSchema(ma.Schema):
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)
    samples = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 100_000))


class ChargeSchema(ma.Schema):
    id = ma.fields.Integer()
    booking_id = ma.fields.Integer(allow_none=True)
    instrument_id = ma.fields.Integer(allow_none=True)
    organisation = ma.fields.Function(lambda c: c.customer.slug)
    owner = ma.fields.Function(lambda c: c.owner.slug if c.owner else None)
    category = ma.fields.Function(lambda c: c.category.value if c.category else None)
    unit = ma.fields.Function(lambda c: c.unit.value if c.unit else None)
    quantity = ma.fields.Function(lambda c: f"{c.quantity.normalize():f}")
    unit_price = Money(allow_none=True)
    amount = Money()
    kind = ma.fields.Function(lambda c: c.kind.value)
    description = ma.fields.String()
    date = ma.fields.Function(lambda c: c.service_date.isoformat())


class ChargeListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ChargeSchema))


class UsageResultSchema(ma.Schema):
    booking_id = ma.fields.Integer()
    status = ma.fields.String()
    charge = ma.fields.Nested(ChargeSchema, allow_none=True)


class ChargeQuerySchema(ma.Schema):
    month = ma.fields.String(validate=MONTH)
    organisation = ma.fields.String()


class MonthQuerySchema(ma.Schema):
    month = ma.fields.String(required=True, validate=MONTH)


class StatementSummarySchema(ma.Schema):
    organisation = ma.fields.Function(lambda s: s["organisation"].slug)
    month = ma.fields.String()
    total = Money()
    status = ma.fields.String()


class StatementListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(StatementSummarySchema))


class SubtotalSchema(ma.Schema):
    owner = ma.fields.String(allow_none=True)
    amount = Money()


class StatementSchema(ma.Schema):
    organisation = ma.fields.Function(lambda s: s.organisation.slug)
    month = ma.fields.String()
    status = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(ChargeSchema))
    subtotals = ma.fields.Function(
        lambda s: [
            {"owner": owner.slug if owner else None, "amount": f"{amount:.2f}"}
            for owner, amount in s.subtotals
        ]
    )
    total = Money()


class ClosedSchema(ma.Schema):
    month = ma.fields.String()
    status = ma.fields.String()


class AdjustmentInSchema(ma.Schema):
    organisation = ma.fields.String(required=True)
    amount = SignedMoney(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(1, 500))


class ReportArgs(ma.Schema):
    from_ = ZonedDateTime(data_key="from", required=True)
    to = ZonedDateTime(required=True)
    organisation = ma.fields.String()


class UtilisationRowSchema(ma.Schema):
    instrument_id = ma.fields.Integer()
    name = ma.fields.String()
    organisation = ma.fields.String()
    open_hours = DecimalText()
    booked_hours = DecimalText()
    used_hours = DecimalText()
    utilisation = DecimalText()


class MoneyRowSchema(ma.Schema):
    organisation = ma.fields.String()
    name = ma.fields.String()
    month = ma.fields.String()
    amount = Money()


class UtilisationSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UtilisationRowSchema))


class RevenueSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MoneyRowSchema))
