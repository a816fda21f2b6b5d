"""Schemas of usage, charges, statements and reports."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import DecimalText, Money, SignedMoney, Whole, ZonedDateTime
from sharing.billing.services.statements import GROUPS, MAX_STATEMENT_PAGE, STATEMENT_PAGE
from sharing.util.formatting import plain_number

MONTH = ma.validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="YYYY-MM")


class AtSchema(ma.Schema):
    at = ZonedDateTime()


class UsageInSchema(ma.Schema):
    start = ZonedDateTime(required=True)
    end = ZonedDateTime(required=True)
    samples = Whole(allow_none=True, validate=ma.validate.Range(0, 100_000))


class ChargeSchema(ma.Schema):
    id = Whole()
    booking_id = Whole(allow_none=True)
    instrument_id = Whole(allow_none=True)
    organisation = ma.fields.Function(lambda c: c.customer.slug)
    owner = ma.fields.Function(lambda c: c.owner.slug if c.owner else None)
    category = ma.fields.Function(lambda c: c.category.value if c.category else None)
    unit = ma.fields.Function(lambda c: c.unit.value if c.unit else None)
    quantity = ma.fields.Function(lambda c: plain_number(c.quantity))
    unit_price = Money(allow_none=True)
    amount = Money()
    kind = ma.fields.Function(lambda c: c.kind.value)
    description = ma.fields.String()
    date = ma.fields.Function(lambda c: c.service_date.isoformat())
    user_id = Whole(allow_none=True)
    account_id = Whole(allow_none=True)
    # The code of the funding account that pays (the account's slug, as organisations have).
    account = ma.fields.Function(lambda c: c.account.code if c.account else None, allow_none=True)


class ChargeListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ChargeSchema))


class UsageResultSchema(ma.Schema):
    booking_id = Whole()
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


def _subtotal(group: str, key, amount) -> dict:
    if group == "account":
        return {
            "account": key.code if key else None,
            "account_id": key.id if key else None,
            "name": key.name if key else None,
            "amount": f"{amount:.2f}",
        }
    return {"owner": key.slug if key else None, "amount": f"{amount:.2f}"}


class StatementSchema(ma.Schema):
    """One page of lines (`page`, `per_page`, `line_count`) with the whole month's subtotals
    and total; `group=account` gives subtotals per funding account instead of per owner."""

    organisation = ma.fields.Function(lambda s: s.organisation.slug)
    month = ma.fields.String()
    status = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(ChargeSchema))
    group = ma.fields.String()
    subtotals = ma.fields.Function(
        lambda s: [_subtotal(s.group, key, amount) for key, amount in s.subtotals]
    )
    total = Money()
    line_count = Whole()
    page = Whole()
    per_page = Whole()


class StatementArgs(ma.Schema):
    page = Whole(load_default=1, validate=ma.validate.Range(1, 1_000_000))
    per_page = Whole(load_default=STATEMENT_PAGE, validate=ma.validate.Range(1, MAX_STATEMENT_PAGE))
    group = ma.fields.String(load_default="owner", validate=ma.validate.OneOf(GROUPS))


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
    instrument_id = Whole()
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
