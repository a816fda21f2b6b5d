"""Schemas of accounts, organisations and categories."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from marshmallow.validate import Length

from sharing.api.base import Day, Whole
from sharing.auth.models import Role
from sharing.orgs.models import AllianceKind, OrgKind
from sharing.sso.models import DefaultRole, Protocol
from sharing.sso.services import MAX_DOMAINS, MAX_URL_LENGTH, server_of


class OrganisationSchema(ma.Schema):
    id = Whole()
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
    id = Whole()
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


class SignInSettingsSchema(ma.Schema):
    """The "sso" object of PATCH /organisations/<slug> (api.md "Campus sign-in")."""

    protocol = ma.fields.Enum(Protocol, by_value=True, required=True)
    server_url = ma.fields.String(validate=Length(max=MAX_URL_LENGTH))
    issuer = ma.fields.String(validate=Length(max=MAX_URL_LENGTH))
    client_id = ma.fields.String(validate=Length(min=1, max=255))
    client_secret = ma.fields.String(validate=Length(min=1, max=1000), load_only=True)
    email_domains = ma.fields.List(
        ma.fields.String(validate=Length(min=1, max=253)),
        required=True,
        validate=Length(min=1, max=MAX_DOMAINS),
    )
    default_role = ma.fields.Enum(DefaultRole, by_value=True)


def login_url(slug: str) -> str:
    return url_for("sso.login", slug=slug, _external=True)


def sign_in_body(server) -> dict | None:
    """An organisation's sign-in as admins read it: everything but the client secret, of
    which only whether one is held is said."""
    if server is None:
        return None
    body = {"protocol": server.protocol.value}
    if server.protocol is Protocol.CAS:
        body["server_url"] = server.server_url
    else:
        body.update(
            issuer=server.issuer,
            client_id=server.client_id,
            client_secret_set=bool(server.client_secret_sealed),
        )
    body.update(
        email_domains=server.domain_names,
        default_role=server.default_role.value,
        login_url=login_url(server.organisation.slug),
    )
    return body


class OrganisationAdminSchema(OrganisationSchema):
    """An organisation as its admins read it: with its campus sign-in."""

    sso = ma.fields.Function(lambda organisation: sign_in_body(server_of(organisation)))


class CampusSignInSchema(ma.Schema):
    """One organisation offering campus sign-in (GET /auth/sso)."""

    slug = ma.fields.Function(lambda server: server.organisation.slug)
    name = ma.fields.Function(lambda server: server.organisation.name)
    name_en = ma.fields.Function(lambda server: server.organisation.name_en)
    protocol = ma.fields.Function(lambda server: server.protocol.value)
    email_domains = ma.fields.Function(lambda server: server.domain_names)
    login_url = ma.fields.Function(lambda server: login_url(server.organisation.slug))
