"""The JSON API at /api/v1: one smorest blueprint per feature, all in one OpenAPI document."""

from __future__ import annotations

from flask import Flask, request

from sharing.api.base import Money, ZonedDateTime
from sharing.auth.session import UNSAFE_METHODS, api_actor, require_actor
from sharing.extensions import api, csrf

API_ROOT = "/api/v1"
ANONYMOUS_WRITES = frozenset({f"{API_ROOT}/auth/tokens"})


def authenticate_api_request() -> None:
    """Identify the caller first: a bad token is 401, and so is any anonymous write."""
    if request.method in UNSAFE_METHODS and request.path not in ANONYMOUS_WRITES:
        require_actor()
    elif request.path not in ANONYMOUS_WRITES:
        api_actor()


def register_api(app: Flask) -> None:
    from sharing.api import accounts, instruments

    api.register_field(Money, "string", None)
    api.register_field(ZonedDateTime, "string", "date-time")
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (accounts, instruments):
        # Bearer calls carry no cookie to forge; session calls are checked in `api_actor`.
        csrf.exempt(module.blp)
        module.blp.before_request(authenticate_api_request)
        api.register_blueprint(module.blp, url_prefix=API_ROOT)
