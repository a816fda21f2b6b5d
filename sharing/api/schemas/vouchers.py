"""Schemas of innovation voucher programmes and claims."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import DecimalText, Money, RecordId, ZonedDateTime
from sharing.vouchers.models import ClaimStatus


def Rate(**kwargs) -> DecimalText:  # noqa: N802 - reads like a field class in the schemas
    """A share between 0 and 1, as a string with up to four places ("0.10")."""
    return DecimalText(places=4, validate=ma.validate.Range(0, 1), **kwargs)


class ProgrammeInSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    year = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(2000, 2100))
    city = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    enterprise_rate = Rate(required=True)
    enterprise_rate_high_tech = Rate(required=True)
    provider_rate = Rate(required=True)
    enterprise_cap = Money(required=True)
    provider_cap = Money(required=True)


class ProgrammeSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    year = ma.fields.Integer()
    city = ma.fields.String()
    enterprise_rate = DecimalText(places=2)
    enterprise_rate_high_tech = DecimalText(places=2)
    provider_rate = DecimalText(places=2)
    enterprise_cap = Money()
    provider_cap = Money()


class ProgrammeListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ProgrammeSchema))


class ClaimInSchema(ma.Schema):
    programme_id = RecordId(required=True)
    charge_ids = ma.fields.List(RecordId(), required=True, validate=ma.validate.Length(1, 500))


class DecisionInSchema(ma.Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class LineSchema(ma.Schema):
    charge_id = ma.fields.Integer()
    provider = ma.fields.Function(lambda line: line.provider.slug if line.provider else None)
    amount = Money()
    eligible = ma.fields.Boolean()
    reason = ma.fields.Function(lambda line: line.reason or None)
    enterprise_subsidy = Money()
    provider_subsidy = Money()


class ClaimSchema(ma.Schema):
    id = ma.fields.Integer()
    programme_id = ma.fields.Integer()
    organisation = ma.fields.Function(lambda c: c.organisation.slug)
    status = ma.fields.Enum(ClaimStatus, by_value=True)
    lines = ma.fields.List(ma.fields.Nested(LineSchema))
    enterprise_subsidy = Money()
    provider_subsidy = Money()
    reason = ma.fields.String()
    created_at = ZonedDateTime()
    decided_at = ZonedDateTime(allow_none=True)
    paid_at = ZonedDateTime(allow_none=True)


class ClaimListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ClaimSchema))
