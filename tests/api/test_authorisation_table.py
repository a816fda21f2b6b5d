"""Every API endpoint called as every role and anonymously, against one table of status codes.

Each call gets a fresh target in the state its action needs (a pending booking to approve, a
delivered order to complete, ...), made by its natural owner just before, so that the allowed
callers get their success code and the others show exactly how they are refused. The table
must name every route under /api/v1: a new endpoint without a row fails the test.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from sharing.auth.passwords import hash_password
from sharing.auth.services import issue_api_token
from sharing.extensions import db
from sharing.timeutil import utcnow
from tests.api.booking_helpers import SHANGHAI

ROLES = ("anonymous", "admin", "manager", "other_manager", "researcher", "enterprise")
PDF = b"%PDF-1.7\n% result\n"


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # a Python format string filled from the target's fields
    target: str  # the World method that makes a fresh target ("" for none)
    statuses: str  # one code per role, in ROLES order
    body: object = None  # dict, or a World method name that builds the body


# anonymous admin manager other_manager researcher enterprise
# "manager" manages the instrument; "researcher" (of another institute, like "other_manager")
# books it and applies to challenges; "enterprise" orders samples and posts challenges.
# Objects a caller may not know exist answer 404; known ones the caller may not touch, 403.
# Staff of institutes (managers too) may apply to challenges; admins may withdraw one.
TABLE = [
    # Accounts
    Row("POST", "/auth/tokens", "", "401 201 201 201 201 201", "credentials"),
    Row("DELETE", "/auth/tokens/current", "", "401 204 204 204 204 204"),
    Row("GET", "/me", "", "401 200 200 200 200 200"),
    Row("POST", "/me/calendar-token", "", "401 200 200 200 200 200"),
    Row("GET", "/organisations", "", "200 200 200 200 200 200"),
    Row("GET", "/categories", "", "200 200 200 200 200 200"),
    Row("GET", "/openapi.json", "", "200 200 200 200 200 200"),
    # Instruments
    Row("GET", "/instruments", "", "200 200 200 200 200 200"),
    Row("POST", "/instruments", "", "401 201 201 403 403 403", "new_instrument"),
    Row("GET", "/instruments/{instrument}", "instrument", "200 200 200 200 200 200"),
    Row(
        "PATCH",
        "/instruments/{instrument}",
        "instrument",
        "401 200 200 403 403 403",
        {"location": "蓝谷 B 座"},
    ),
    Row(
        "GET",
        "/instruments/{instrument}/availability?from={day}&to={next_day}",
        "instrument",
        "200 200 200 200 200 200",
    ),
    Row(
        "GET",
        "/instruments/{instrument}/free-slots?duration_minutes=60",
        "instrument",
        "200 200 200 200 200 200",
    ),
    Row(
        "POST",
        "/instruments/{instrument}/downtimes",
        "instrument",
        "401 201 201 403 403 403",
        "downtime_body",
    ),
    Row(
        "POST",
        "/instruments/{instrument}/qualified-users",
        "instrument",
        "401 201 201 403 403 403",
        "newcomer_id",
    ),
    Row(
        "DELETE",
        "/instruments/{instrument}/qualified-users/{user}",
        "qualified",
        "401 204 204 403 403 403",
    ),
    # Bookings
    Row("POST", "/bookings", "", "401 201 201 201 201 201", "booking_body"),
    Row("GET", "/bookings", "", "401 200 200 200 200 200"),
    Row("GET", "/bookings/{booking}", "pending_booking", "401 200 200 404 200 404"),
    Row("GET", "/bookings/{booking}/history", "pending_booking", "401 200 200 404 200 404"),
    Row("POST", "/bookings/{booking}/approve", "pending_booking", "401 200 200 404 403 404"),
    Row("POST", "/bookings/{booking}/reject", "pending_booking", "401 200 200 404 403 404"),
    Row("POST", "/bookings/{booking}/cancel", "pending_booking", "401 200 200 404 200 404"),
    Row(
        "POST", "/bookings/decisions", "pending_booking", "401 200 200 200 200 200", "decision_body"
    ),
    Row("POST", "/bookings/{booking}/check-in", "current_booking", "401 200 200 404 200 404"),
    Row("POST", "/bookings/{booking}/check-out", "checked_in_booking", "401 200 200 404 200 404"),
    Row("POST", "/bookings/{booking}/no-show", "past_booking", "401 200 200 404 403 404"),
    Row(
        "POST", "/bookings/{booking}/usage", "past_booking", "401 200 200 404 403 404", "usage_body"
    ),
    Row("DELETE", "/downtimes/{downtime}", "downtime", "401 204 204 404 404 404"),
    Row("POST", "/downtimes/{downtime}/cancel-affected", "downtime", "401 200 200 404 404 404"),
    # Usage and billing
    Row("GET", "/charges", "", "401 200 200 200 200 200"),
    Row("GET", "/statements?month={month}", "", "401 200 200 200 200 200"),
    Row("GET", "/statements/{customer_org}/{month}", "", "401 200 404 200 200 404"),
    Row("GET", "/statements/{customer_org}/{month}.csv", "", "401 200 404 200 200 404"),
    Row("POST", "/statements/{closable_month}/close", "closable_month", "401 200 403 403 403 403"),
    Row("POST", "/adjustments", "", "401 201 403 403 403 403", "adjustment_body"),
    Row("GET", "/reports/utilisation?from={day}&to={next_day}", "", "401 200 200 200 403 403"),
    Row("GET", "/reports/revenue?from={day}&to={next_day}", "", "401 200 200 200 403 403"),
    # Sample testing orders
    Row("POST", "/orders", "", "401 201 201 201 201 201", "order_body"),
    Row("GET", "/orders", "", "401 200 200 200 200 200"),
    Row("GET", "/orders/{order}", "submitted_order", "401 200 200 404 404 200"),
    Row("GET", "/orders/{order}/history", "submitted_order", "401 200 200 404 404 200"),
    Row(
        "POST", "/orders/{order}/quote", "submitted_order", "401 200 200 404 404 403", "quote_body"
    ),
    Row("POST", "/orders/{order}/accept", "quoted_order", "401 403 403 404 404 200"),
    Row("POST", "/orders/{order}/decline", "quoted_order", "401 403 403 404 404 200"),
    Row("POST", "/orders/{order}/cancel", "submitted_order", "401 403 403 404 404 200"),
    Row(
        "POST",
        "/orders/{order}/receive",
        "accepted_order",
        "401 200 200 404 404 403",
        {"received_samples": 3},
    ),
    Row("POST", "/orders/{order}/runs", "accepted_order", "401 201 201 404 404 403", "run_body"),
    Row("POST", "/orders/{order}/start", "received_order", "401 200 200 404 404 403"),
    Row(
        "POST",
        "/orders/{order}/results",
        "analysing_order",
        "401 201 201 404 404 403",
        "result_upload",
    ),
    Row("GET", "/orders/{order}/results/{file}", "analysed_order", "401 200 200 404 404 200"),
    Row("POST", "/orders/{order}/deliver", "analysed_order", "401 200 200 404 404 403"),
    Row(
        "POST",
        "/orders/{order}/complete",
        "delivered_order",
        "401 200 200 404 404 403",
        {"measured_samples": 3},
    ),
    # The challenge board
    Row("GET", "/challenges", "", "200 200 200 200 200 200"),
    Row("GET", "/challenges/stats", "", "200 200 200 200 200 200"),
    Row("POST", "/challenges", "", "401 201 403 403 403 201", "challenge_body"),
    Row("GET", "/challenges/{challenge}", "open_challenge", "200 200 200 200 200 200"),
    Row(
        "PATCH",
        "/challenges/{challenge}",
        "open_challenge",
        "401 403 403 403 403 200",
        {"title": "新标题"},
    ),
    Row(
        "POST",
        "/challenges/{challenge}/applications",
        "open_challenge",
        "401 403 201 201 201 403",
        "application_body",
    ),
    Row(
        "GET",
        "/challenges/{challenge}/applications",
        "applied_challenge",
        "401 200 403 403 200 200",
    ),
    Row(
        "PATCH",
        "/applications/{application}",
        "applied_challenge",
        "401 403 404 404 200 403",
        {"team": "三人"},
    ),
    Row(
        "POST",
        "/challenges/{challenge}/award",
        "applied_challenge",
        "401 403 403 403 403 200",
        "award_body",
    ),
    Row(
        "POST",
        "/challenges/{challenge}/complete",
        "awarded_challenge",
        "401 403 403 403 403 200",
        {"contract_amount": "500000.00"},
    ),
    Row("POST", "/challenges/{challenge}/withdraw", "open_challenge", "401 200 403 403 403 200"),
]


class World:
    """The people and instrument of the table, and makers of fresh targets for each call."""

    def __init__(self, client, make):
        self.client, self.make = client, make
        lab = make.org("institute", slug="lab")
        self.customer_org = make.org("institute", slug="customer-institute")
        company = make.org("enterprise", slug="company")
        self.users = {
            "admin": make.admin(),
            "manager": make.user("manager", lab),
            "other_manager": make.user("manager", self.customer_org),
            "researcher": make.user("researcher", self.customer_org),
            "enterprise": make.user("enterprise", company),
        }
        self.password = make.PASSWORD
        self.instrument = make.instrument(
            manager=self.users["manager"],
            requires_approval=True,
            accepts_samples=True,
            turnaround_days=5,
            rules={"open_hours": [], "notice_hours": 0},
            rates=[
                {"category": "internal", "unit": "hour", "price": Decimal("100.00")},
                {"category": "academic", "unit": "hour", "price": Decimal("200.00")},
                {"category": "enterprise", "unit": "hour", "price": Decimal("300.00")},
                {"category": "enterprise", "unit": "sample", "price": Decimal("280.00")},
                {"category": "academic", "unit": "sample", "price": Decimal("200.00")},
            ],
        )
        start = utcnow().astimezone(SHANGHAI) + timedelta(days=2)
        self.first_slot = start.replace(hour=0, minute=0, second=0, microsecond=0)
        self.slots = itertools.count()
        self.months = itertools.count()

    # -- calling ----------------------------------------------------------------------------

    def headers(self, role: str) -> dict:
        if role == "anonymous":
            return {}
        token = issue_api_token(self.users[role])  # fresh each call: one row revokes its token
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    def call(self, role, method, path, body=None, expect=None):
        kwargs = {"headers": self.headers(role)}
        if isinstance(body, dict) and "file" in body:
            kwargs.update(data=body, content_type="multipart/form-data")
        elif body is not None:
            kwargs["json"] = body
        response = self.client.open("/api/v1" + path, method=method, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (method, path, role, response.json)
        return response

    def next_slot(self, hours: int = 1) -> tuple[str, str]:
        start = self.first_slot + timedelta(hours=next(self.slots))
        return start.isoformat(), (start + timedelta(hours=hours)).isoformat()

    # -- bodies -----------------------------------------------------------------------------

    def credentials(self, role):
        if role == "anonymous":
            return {"email": "nobody@example.org", "password": "not-a-password-1"}
        return {"email": self.users[role].email, "password": self.password}

    def new_instrument(self, role):
        return {"name": "新仪器", "category": "nmr", "organisation": "lab"}

    def downtime_body(self, role):
        start, end = self.next_slot()
        return {"start": start, "end": end, "reason": "保养"}

    def researcher_id(self, role):
        return {"user_id": self.users["researcher"].id}

    def newcomer_id(self, role):
        return {"user_id": self.make.user("researcher", self.customer_org).id}

    def booking_body(self, role):
        start, end = self.next_slot()
        return {"instrument_id": self.instrument.id, "start": start, "end": end, "purpose": "x"}

    def decision_body(self, role, target):
        return {"ids": [target["booking"]], "decision": "approve"}

    def usage_body(self, role, target):
        return {"start": target["start"], "end": target["end"]}

    def adjustment_body(self, role):
        return {"organisation": "customer-institute", "amount": "-10.00", "reason": "折让"}

    def order_body(self, role):
        return {
            "instrument_id": self.instrument.id,
            "samples": 3,
            "sample_type": "海水",
            "description": "近岸站位",
            "analysis": "Cu",
            "delivery": "courier",
            "tracking_number": "SF1234567890",
        }

    def quote_body(self, role, target):
        return {"lines": [{"description": "ICP-MS", "quantity": "3", "unit_price": "280.00"}]}

    def run_body(self, role, target):
        start, end = self.next_slot()
        return {"start": start, "end": end}

    def result_upload(self, role, target):
        return {"file": (io.BytesIO(PDF), "result.pdf")}

    def challenge_body(self, role):
        return {
            "title": "深海传感器防腐",
            "description": "需要长期防腐方案",
            "field": "new-materials",
            "budget": "800000.00",
            "deadline": (utcnow() + timedelta(days=30)).isoformat(),
            "status": "open",
        }

    def application_body(self, role, target):
        return {"proposal": "方案", "team": "两人", "timeline": "六个月", "quote": "500000.00"}

    def award_body(self, role, target):
        return {"application_id": target["application"]}

    # -- targets ----------------------------------------------------------------------------

    def instrument_target(self):
        return {"instrument": self.instrument.id}

    def qualified(self):
        path = f"/instruments/{self.instrument.id}/qualified-users"
        response = self.call("manager", "POST", path, self.researcher_id(""))
        assert response.status_code in {201, 409}, response.json  # 409: qualified already
        return {"instrument": self.instrument.id, "user": self.users["researcher"].id}

    def pending_booking(self):
        body = self.booking_body("researcher")
        booking = self.call("researcher", "POST", "/bookings", body, expect=201).json
        assert booking["status"] == "pending"
        return {"booking": booking["id"]}

    def _walk_in(self, start):
        body = {
            "instrument_id": self.instrument.id,
            "user_id": self.users["researcher"].id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        }
        booking = self.call("manager", "POST", "/bookings", body, expect=201).json
        return {"booking": booking["id"], "start": body["start"], "end": body["end"]}

    def current_booking(self):
        # Walk-ins by the manager are confirmed at once; each call gets its own past hour.
        hours_back = 3 + next(self.slots)
        now = utcnow().astimezone(SHANGHAI).replace(minute=0, second=0, microsecond=0)
        return self._walk_in(now - timedelta(hours=hours_back))

    def checked_in_booking(self):
        target = self.current_booking()
        self.call("researcher", "POST", f"/bookings/{target['booking']}/check-in", {}, 200)
        return target

    def past_booking(self):
        return self.current_booking()

    def downtime(self):
        body = self.downtime_body("manager")
        path = f"/instruments/{self.instrument.id}/downtimes"
        return {"downtime": self.call("manager", "POST", path, body, expect=201).json["id"]}

    def closable_month(self):
        return {"closable_month": f"{2001 + next(self.months)}-01"}

    def submitted_order(self):
        order = self.call("enterprise", "POST", "/orders", self.order_body(""), expect=201).json
        return {"order": order["id"]}

    def _step(self, target, role, action, body=None, expect=200):
        path = f"/orders/{target['order']}/{action}"
        self.call(role, "POST", path, body or {}, expect=expect)
        return target

    def quoted_order(self):
        target = self.submitted_order()
        return self._step(target, "manager", "quote", self.quote_body("", target))

    def accepted_order(self):
        return self._step(self.quoted_order(), "enterprise", "accept")

    def received_order(self):
        return self._step(self.accepted_order(), "manager", "receive", {"received_samples": 3})

    def analysing_order(self):
        return self._step(self.received_order(), "manager", "start")

    def analysed_order(self):
        target = self.analysing_order()
        upload = self.result_upload("", target)
        path = f"/orders/{target['order']}/results"
        target["file"] = self.call("manager", "POST", path, upload, expect=201).json["id"]
        return target

    def delivered_order(self):
        return self._step(self.analysed_order(), "manager", "deliver")

    def open_challenge(self):
        body = self.challenge_body("enterprise")
        challenge = self.call("enterprise", "POST", "/challenges", body, expect=201).json
        return {"challenge": challenge["id"]}

    def applied_challenge(self):
        target = self.open_challenge()
        path = f"/challenges/{target['challenge']}/applications"
        body = self.application_body("researcher", target)
        target["application"] = self.call("researcher", "POST", path, body, expect=201).json["id"]
        return target

    def awarded_challenge(self):
        target = self.applied_challenge()
        path = f"/challenges/{target['challenge']}/award"
        self.call("enterprise", "POST", path, self.award_body("", target), expect=200)
        return target

    # -- one row ----------------------------------------------------------------------------

    def run(self, row: Row, role: str) -> int:
        maker = {"instrument": self.instrument_target}.get(row.target) or (
            getattr(self, row.target) if row.target else dict
        )
        target = maker()
        midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        fields = {
            "day": midnight.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "next_day": (midnight + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "month": midnight.astimezone(SHANGHAI).strftime("%Y-%m"),
            "customer_org": "customer-institute",
            **target,
        }
        body = row.body
        if isinstance(body, str):
            builder = getattr(self, body)
            body = builder(role, target) if builder.__code__.co_argcount == 3 else builder(role)
        if body is None and row.method in {"POST", "PATCH"}:
            body = {}
        return self.call(role, row.method, row.path.format(**fields), body).status_code


def _route_key(method: str, rule: str) -> tuple[str, str]:
    """A route's method and rule with its variables blanked, e.g. /bookings/<>/approve."""
    parts = [
        ("<>" + part.split(">")[1] if part.startswith("<") else part) for part in rule.split("/")
    ]
    return method, "/".join(parts)


def _row_key(row: Row) -> tuple[str, str]:
    path = "/api/v1" + row.path.split("?")[0]
    parts = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}.csv"):
            parts.append("<>.csv")
        elif part.startswith("{"):
            parts.append("<>")
        else:
            parts.append(part)
    return row.method, "/".join(parts)


def test_the_table_names_every_api_route(app):
    routes = {
        _route_key(method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    rows = [_row_key(row) for row in TABLE]
    assert len(rows) == len(set(rows)), "a route has two rows"
    assert routes - set(rows) == set(), "routes without a row in TABLE"
    assert set(rows) - routes == set(), "rows for routes that do not exist"


@pytest.fixture
def quick_hashes(monkeypatch):
    """Hash the factory's one password once: scrypt costs 90 ms, and each row has six people."""
    from sharing.auth import services

    cache: dict[str, str] = {}

    def hash_once(password: str) -> str:
        if password not in cache:
            cache[password] = hash_password(password)
        return cache[password]

    monkeypatch.setattr(services, "hash_password", hash_once)


@pytest.mark.parametrize("row", TABLE, ids=lambda row: f"{row.method} {row.path.split('?')[0]}")
def test_every_role_gets_the_status_of_the_table(client, make, quick_hashes, row):
    world = World(client, make)
    actual = " ".join(str(world.run(row, role)) for role in ROLES)
    assert actual == row.statuses, f"{row.method} {row.path}: got {actual}"
