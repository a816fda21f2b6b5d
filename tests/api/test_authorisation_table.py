"""Every API endpoint called as every role and anonymously, against one table of status codes.

Each call gets a fresh target in the state its action needs (a pending booking to approve, a
delivered order to complete, ...), made by its natural owner just before, so that the allowed
callers get their success code and the others show exactly how they are refused. The table
must name every route under /api/v1: a new endpoint without a row fails the test.
"""

from __future__ import annotations

import pytest

from tests.fixtures.routes_table import TABLE, Row
from tests.fixtures.world import AGENT_ROLES, ROLES, World

# The statuses and validation are the app's, not the backend's: PostgreSQL, the stricter (NUL
# in text, 32-bit integers), answers for both when it is switched on.
pytestmark = pytest.mark.one_backend


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
        if part.startswith("{") and "}." in part:
            parts.append("<>" + part[part.index("}") + 1 :])
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
    if row.agents:
        actual = " ".join(str(world.run(row, role)) for role in AGENT_ROLES)
        assert actual == row.agents, f"{row.method} {row.path} as agents: got {actual}"


# Read no caller at all: the token exchange (its credentials are in the body) and the document.
OPEN_TO_ANY_HEADER = {"/auth/tokens", "/openapi.json"}


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def test_an_agent_token_opens_no_route_but_the_agents(client, make):
    """An agent is a caller of its own kind: on every route of the people it is refused before
    anything is read (which is why no target is made here), live token or not."""
    world = World(client, make)
    headers = world.headers("agent")
    fields = _AnyId(world.path_fields({}))
    refused = []
    for row in TABLE:
        if row.agents or row.path in OPEN_TO_ANY_HEADER:
            continue
        path = "/api/v1" + row.path.format_map(fields)
        response = client.open(path, method=row.method, headers=headers, json={})
        if response.status_code != 401:
            refused.append((row.method, row.path, response.status_code))
    assert refused == []
