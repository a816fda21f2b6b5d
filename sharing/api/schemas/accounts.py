"""Schemas of accounts, organisations and categories."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Day
from sharing.auth.models import Role
from sharing.orgs.models import AllianceKind, OrgKind


class OrganisationSchema(ma.Schema):
    id = ma.fields.Integer()
    slug = ma.fields.String()
    name = ma.fields.String()
    name_en = ma.fields.String()
    kind = ma.fields.Enum(OrgKind, by_value=True)
    alliance_member = ma.fields.Boolean()
    alliance_kind = ma.fields.Enum(AllianceKind, by_value=True, allow_none=True)
    joined_on = Day(allow_none=True)
    registered_city = ma.fields.String()
    sme = ma.fields.Boolean()
    high_tech = ma.fields.Boolean()
    related_to = ma.fields.Function(lambda o: [other.slug for other in o.related])


class UserSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.Enum(Role, by_value=True)
    organisation = ma.fields.Nested(OrganisationSchema)
    card_number = ma.fields.String(allow_none=True)


class UserPatchSchema(ma.Schema):
    """What PATCH /users/<id> changes: the campus card (null takes it away)."""

    card_number = ma.fields.String(
        required=True, allow_none=True, validate=ma.validate.Length(max=32)
    )


class MeSchema(UserSchema):
    calendar_feed_url = ma.fields.String()


class TokenRequestSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=254))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class TokenSchema(ma.Schema):
    token = ma.fields.String()
    user = ma.fields.Nested(UserSchema)


class CalendarTokenSchema(ma.Schema):
    calendar_feed_url = ma.fields.String()


class CategorySchema(ma.Schema):
    slug = ma.fields.String()
    name = ma.fields.String()
    name_en = ma.fields.String()


class CategoryListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CategorySchema))
