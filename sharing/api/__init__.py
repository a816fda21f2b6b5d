"""The JSON API at /api/v1: one smorest blueprint per feature, all in one OpenAPI document."""

from __future__ import annotations

from flask import Flask

from sharing.api.base import API_ROOT, Money, SignedMoney, ZonedDateTime
from sharing.extensions import SharingApi, csrf


def register_api(app: Flask) -> SharingApi:
    """Create this app's Api (smorest keeps per-app spec state on it) and mount every blueprint."""
    from sharing.api import accounts, billing, bookings, challenges, instruments, orders

    api = SharingApi(app)
    api.register_field(Money, "string", None)
    api.register_field(SignedMoney, "string", None)
    api.register_field(ZonedDateTime, "string", "date-time")
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (accounts, instruments, bookings, billing, challenges, orders):
        # Bearer calls carry no cookie to forge; session calls are checked in `api_actor`.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix=API_ROOT)
    return api
