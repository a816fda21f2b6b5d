"""Schemathesis fuzzes every operation of /api/v1/openapi.json on a bounded number of examples.

Calls come from an admin (who reaches the most code) against a small world of real objects, so
that generated ids sometimes hit a booking, an order or a challenge. Every answer must be no
server error, carry a documented status and content type, and match its documented schema.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from sharing.auth.services import issue_api_token
from sharing.extensions import db
from tests.fixtures.hostile import HOSTILE_TEXT
from tests.fixtures.world import World

# The statuses and validation are the app's, not the backend's: PostgreSQL, the stricter (NUL
# in text, 32-bit integers), answers for both when it is switched on.
pytestmark = pytest.mark.one_backend

EXAMPLES_PER_OPERATION = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(app, client, make):
    world = World(client, make)
    world.pending_booking()
    world.analysed_order()
    world.applied_challenge()
    world.downtime()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def admin_headers(app):
    """Fresh headers for each call: the fuzzer also revokes the token it calls with."""
    from sharing.auth.models import Role, User

    admin = db.session.scalar(db.select(User).where(User.role == Role.ADMIN))

    def headers() -> dict:
        token = issue_api_token(admin)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers


def test_api_answers_as_documented(api_schema, admin_headers):
    failures, statuses = _fuzz(api_schema, admin_headers, CHECKS, hostile=False)
    assert not failures, "\n\n".join(failures)
    # The fuzzer got past authentication and validation into the services, not only to 4xx.
    # (401 comes only from the token endpoint's wrong passwords.)
    assert sum(n for status, n in statuses.items() if status < 300) >= 50, statuses


# Hostile values (NUL and control characters, Unicode digits, huge, negative and non-finite
# numbers, far-off years, malformed months) put in place of generated strings and numbers.
HOSTILE_VALUES = [*HOSTILE_TEXT, 10**30, -(10**30), 2**63, -1, 1e308, "1e999999999"]


def _with_hostile_values(value, draw):
    """`value` with some of its leaves swapped for hostile ones (the shape stays)."""
    if isinstance(value, dict):
        return {key: _with_hostile_values(item, draw) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_hostile_values(item, draw) for item in value]
    leaf = isinstance(value, str | int | float) and not isinstance(value, bool)
    return draw(st.sampled_from(HOSTILE_VALUES)) if leaf and draw(st.booleans()) else value


def test_api_survives_hostile_values(api_schema, admin_headers):
    failures, statuses = _fuzz(
        api_schema, admin_headers, [not_a_server_error, content_type_conformance], hostile=True
    )
    assert not failures, "\n\n".join(failures)
    assert statuses[400] > 0, statuses  # the hostile values reached the validation


def _fuzz(api_schema, admin_headers, checks, hostile: bool):
    failures = []
    statuses: Counter[int] = Counter()
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(), data=st.data())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def fuzz(case, data):
            if hostile:
                for part in ("body", "query"):
                    value = getattr(case, part, None)
                    if isinstance(value, dict | list):
                        setattr(case, part, _with_hostile_values(value, data.draw))
            response = case.call(headers=admin_headers())
            statuses[response.status_code] += 1
            case.validate_response(response, checks=checks)

        try:
            fuzz()
        except Exception as failure:  # noqa: BLE001 - every operation's failure, reported together
            failures.append(f"{operation.label}: {failure}")
    return failures, statuses
