"""Small factory functions that build test data through the real services."""

from __future__ import annotations

import itertools
from decimal import Decimal

from sharing.auth.services import create_user
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation


class Factory:
    """Builds organisations, users and instruments with sensible defaults."""

    PASSWORD = "correct-horse-42"
    _sequence = itertools.count(1)

    def _next(self) -> int:
        return next(self._sequence)

    def org(self, kind: str = "institute", slug: str | None = None, name: str | None = None):
        number = self._next()
        organisation = create_organisation(
            slug or f"org-{number}", name or f"测试单位{number}", kind, f"Test Org {number}"
        )
        db.session.commit()
        return organisation

    def user(self, role: str = "researcher", org=None, email: str | None = None, name: str = ""):
        number = self._next()
        if org is None:
            org = self.org("enterprise" if role == "enterprise" else "institute")
        user = create_user(
            email or f"user{number}@example.org", name or f"用户{number}", self.PASSWORD, role, org
        )
        db.session.commit()
        return user

    def admin(self):
        return self.user("admin", self.org("operator"))

    def instrument(self, org=None, manager=None, **fields):
        if org is None:
            org = manager.organisation if manager is not None else self.org()
        actor = manager or self.user("manager", org)
        number = self._next()
        data = {
            "name": f"测试仪器{number}",
            "name_en": f"Test instrument {number}",
            "category": "mass-spectrometry",
            "rates": [
                {"category": "internal", "unit": "hour", "price": Decimal("100.00")},
                {"category": "academic", "unit": "hour", "price": Decimal("200.00")},
                {"category": "enterprise", "unit": "hour", "price": Decimal("300.00")},
            ],
            **fields,
        }
        if actor.role.value == "admin":
            data.setdefault("organisation", org.slug)
        instrument = create_instrument(actor, data)
        db.session.commit()
        return instrument
