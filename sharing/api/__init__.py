"""The JSON API at /api/v1: one smorest blueprint per feature, all in one OpenAPI document."""

from __future__ import annotations

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow import resolver as marshmallow_resolver
from flask import Flask
from flask_smorest import Api

from sharing.api.base import API_ROOT, DecimalText, Money, SignedMoney, ZonedDateTime
from sharing.api.schemas.errors import ErrorSchema
from sharing.core.urls import MAX_RECORD_ID, RecordIdConverter
from sharing.extensions import csrf


def schema_name(schema) -> str:
    """OpenAPI component names; a partial (PATCH) schema gets its own name."""
    name = marshmallow_resolver(schema)
    if not isinstance(schema, type) and getattr(schema, "partial", False):
        name += "Patch"
    return name


class SharingApi(Api):
    """flask-smorest's Api without its app-wide error handler: `errors.py` owns the envelope,
    documented here as every operation's error response."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        return None

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = {"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)}
        super().init_app(app, spec_kwargs=spec_kwargs)


def register_api(app: Flask) -> SharingApi:
    """Create this app's Api (smorest keeps per-app spec state on it) and mount every blueprint."""
    from sharing.api import (
        accounts,
        agent,
        agents,
        assessment,
        billing,
        bookings,
        challenges,
        cruises,
        funding,
        instruments,
        loans,
        needs,
        notices,
        operations,
        orders,
        receivables,
        training,
        vouchers,
        waitlist,
    )

    api = SharingApi(app)
    api.register_field(Money, "string", None)
    api.register_field(SignedMoney, "string", None)
    api.register_field(ZonedDateTime, "string", "date-time")
    api.register_field(DecimalText, "string", None)
    api.register_converter(
        RecordIdConverter, lambda _: {"type": "integer", "minimum": 0, "maximum": MAX_RECORD_ID}
    )
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "agent", {"type": "apiKey", "in": "header", "name": "Authorization"}
    )
    modules = (
        accounts,
        instruments,
        bookings,
        waitlist,
        billing,
        challenges,
        orders,
        training,
        notices,
        assessment,
        needs,
        receivables,
        funding,
        vouchers,
        agents,
        agent,
        loans,
        cruises,
        operations,
    )
    for module in modules:
        # Bearer calls carry no cookie to forge; session calls are checked in `api_actor`.
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp, url_prefix=API_ROOT)
    return api
