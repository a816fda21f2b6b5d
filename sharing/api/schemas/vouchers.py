"""Schemas of innovation voucher programmes and claims."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Money, Rate, RecordId, Whole, ZonedDateTime
from sharing.vouchers.models import ClaimStatus


class ProgrammeInSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(1, 200))
    year = Whole(required=True, validate=ma.validate.Range(2000, 2100))
    city = ma.fields.String(required=True, validate=ma.validate.Length(1, 40))
    enterprise_rate = Rate(required=True)
    enterprise_rate_high_tech = Rate(required=True)
    provider_rate = Rate(required=True)
    enterprise_cap = Money(required=True)
    provider_cap = Money(required=True)


class ProgrammeSchema(ma.Schema):
    id = Whole()
    name = ma.fields.String()
    year = Whole()
    city = ma.fields.String()
    enterprise_rate = Rate()
    enterprise_rate_high_tech = Rate()
    provider_rate = Rate()
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
    charge_id = Whole()
    provider = ma.fields.Function(lambda line: line.provider.slug if line.provider else None)
    amount = Money()
    eligible = ma.fields.Boolean()
    reason = ma.fields.Function(lambda line: line.reason or None)
    enterprise_subsidy = Money()
    provider_subsidy = Money()


class ClaimSchema(ma.Schema):
    id = Whole()
    programme_id = Whole()
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
