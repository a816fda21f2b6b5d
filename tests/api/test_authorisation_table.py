"""Every API endpoint called as every role and anonymously, against one table of status codes.

Each call gets a fresh target in the state its action needs (a pending booking to approve, a
delivered order to complete, ...), made by its natural owner just before, so that the allowed
callers get their success code and the others show exactly how they are refused. The table
must name every route under /api/v1: a new endpoint without a row fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.api.world import ROLES, World


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
    # Results: the customer's organisation and the lab only (api.md), not platform admins.
    Row("GET", "/orders/{order}/results/{file}", "analysed_order", "401 404 200 404 404 200"),
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


@pytest.mark.parametrize("row", TABLE, ids=lambda row: f"{row.method} {row.path.split('?')[0]}")
def test_every_role_gets_the_status_of_the_table(client, make, row):
    world = World(client, make)
    actual = " ".join(str(world.run(row, role)) for role in ROLES)
    assert actual == row.statuses, f"{row.method} {row.path}: got {actual}"
