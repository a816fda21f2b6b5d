"""Hostile input over every route, pages and API alike: never a 5xx.

Every rule of the URL map is called with hostile path variables, query strings, JSON bodies and
form fields (NUL and other control characters, Unicode digits, huge and negative numbers,
NaN and infinities, far-off years, malformed months, deep JSON, long headers), as an admin and
anonymously, against a small world where the ids of real objects exist.
"""

from __future__ import annotations

import pytest

from tests.fixtures.hostile import HOSTILE_TEXT
from tests.fixtures.world import World

# The statuses and validation are the app's, not the backend's: PostgreSQL, the stricter (NUL
# in text, 32-bit integers), answers for both when it is switched on.
pytestmark = pytest.mark.one_backend

QUERY_NAMES = [
    "q",
    "page",
    "per_page",
    "month",
    "from",
    "to",
    "after",
    "organisation",
    "category",
    "status",
    "field",
    "min_budget",
    "max_budget",
    "min_price",
    "max_price",
    "deadline_before",
    "year",
    "order",
    "duration_minutes",
    "limit",
    "instrument_id",
    "locked",
    "csv",
    "next",
    # The return from a campus sign-in server.
    "ticket",
    "state",
    "code",
    "error",
]
BODY_NAMES = [
    "title",
    "name",
    "purpose",
    "reason",
    "note",
    "budget",
    "amount",
    "contract_amount",
    "quote",
    "samples",
    "received_samples",
    "measured_samples",
    "start",
    "end",
    "deadline",
    "instrument_id",
    "user_id",
    "application_id",
    "organisation",
    "month",
    "email",
    "password",
    "description",
    "used_start",
    "used_end",
    "count",
    "back",
    # Days: a day after the last one or before the first must be refused, not computed.
    "date",
    "on",
    "due",
    "paid_on",
    "issued_on",
    "signed_on",
    "valid_from",
    "valid_until",
    "next_due_on",
    "purchased_on",
    "joined_on",
    "collected_on",
    "claimed_on",
    "talks_on",
    # Campus sign-in (the "sso" object and its fields, and the token label of /profile).
    "sso",
    "protocol",
    "server_url",
    "issuer",
    "client_id",
    "client_secret",
    "email_domains",
    "default_role",
    "remove",
    "label",
    # The agents' and the cards' fields.
    "user",
    "at",
    "offline",
    "mode",
    "card_number",
    # Money, rates, invoices and vouchers: the fields the strict numbers read.
    "price",
    "rate",
    "rates",
    "enterprise_rate",
    "internal_rate",
    "academic_rate",
    "unit_price",
    "subsidy_rate",
    "cap",
    "number",
    "customer",
    "charge_ids",
    "milestones",
    "lines",
    # Cruises: the plan, the application, the allocation, the return and the duties.
    "vessel",
    "vessel_id",
    "departs_on",
    "returns_on",
    "mobilisation_days",
    "port_from",
    "port_to",
    "area",
    "chief_scientist_id",
    "apply_by",
    "day_rate",
    "share_by",
    "data_due_days",
    "project",
    "berths",
    "deck_m2",
    "lab_m2",
    "station_hours",
    "equipment",
    "plan",
    "data_plan",
    "allocations",
    "returned_on",
    "summary",
    "stations",
    "url",
    "embargo_until",
    # Loans of sea-going gear, day instruments, their components and operators.
    "items",
    "start_date",
    "end_date",
    "site",
    "delivery",
    "account_id",
    "dry_run",
    "operator_id",
    "received_on",
    "reference",
    "insurance_policy",
    "checklist",
    "tracking_number",
    "outcome",
    "damage_amount",
    "serial",
    "required",
    "booking_unit",
    "deposit",
    "replacement_value",
    "insurance_required",
    "mobilisation_fee",
    "rules",
    "step",
    "item",
    "operator",
    "component",
]
# JSON values of the wrong kind or written loosely, sent where the API reads numbers: an empty
# string, an exponent, full-width digits, a float, a boolean, 23 digits, null and containers.
TYPED_VALUES = ["", "1e3", "１２", "０.１０", 1.5, True, 10**23, None, [], {}]
DEEP_JSON = "[" * 50_000 + "]" * 50_000
HUGE_INTEGER_JSON = '{"samples": ' + "9" * 5000 + "}"


def _path_variants(rule, ids: dict) -> list[str]:
    """The rule's path with real ids, and with hostile values in each variable."""
    names = list(rule.arguments)
    if not names:
        return [rule.rule]
    real = {name: ids.get(name, 1) for name in names}
    variants = []
    for hostile in ("%00", "%C2%B2", "2027-1", "99999999999999999999", "-1"):
        values = dict(real)
        for name in names:
            values[name] = hostile
        path = rule.rule
        for name, value in values.items():
            path = _replace_variable(path, name, str(value))
        variants.append(path)
    path = rule.rule
    for name, value in real.items():
        path = _replace_variable(path, name, str(value))
    return [path, *variants]


def _replace_variable(path: str, name: str, value: str) -> str:
    import re

    return re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r">", value, path)


@pytest.fixture
def world(client, make):
    world = World(client, make)
    ids = {}
    ids.update(world.awarded_challenge())
    ids.update(world.analysed_order())
    ids.update(world.pending_booking())
    ids.update(world.downtime())
    ids["loan_id"] = world.on_loan()["loan"]
    ids["instrument_id"] = world.instrument.id
    ids["booking_id"] = ids["booking"]
    ids["order_id"] = ids["order"]
    ids["challenge_id"] = ids["challenge"]
    ids["application_id"] = ids["application"]
    ids["downtime_id"] = ids["downtime"]
    ids["file_id"] = ids["file"]
    completed = world.completed_cruise()
    ids["cruise_id"] = completed["cruise"]
    ids["slug"] = "lab"
    ids["month"] = "2026-01"
    return world, ids


def _rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )


def _check(response, method, path):
    assert response.status_code < 500, (method, path, response.status_code)


def _texts_for(path_index: int) -> list[str]:
    """Every hostile text on the path with real ids; one on each path with hostile ids, which
    the routing or the first lookup refuses before any body is read."""
    return HOSTILE_TEXT if path_index == 0 else HOSTILE_TEXT[:1]


def _turned_away(response) -> bool:
    """Sent to sign in: the API's 401, or a page's redirect to the sign-in form."""
    if response.status_code == 401:
        return True
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def _send_hostile_bodies(client, method, path, headers, texts, ids_are_real: bool) -> None:
    """Each text as the body the route reads (JSON for the API, a form for the pages) and the
    first one as the other kind too, which is refused whatever it holds; the parser-breaking
    bodies and the loosely typed values on the path with real ids only: on a path with hostile
    ids the routing or the first lookup refuses before any body is read."""
    reads_json = path.startswith("/api/")

    def send(text, as_json: bool):
        body = dict.fromkeys(BODY_NAMES, text)
        sent = {"json": body} if as_json else {"data": body}
        response = client.open(path, method=method, headers=headers, **sent)
        _check(response, method, path)
        return response

    first = send(texts[0], reads_json)
    send(texts[0], not reads_json)
    if _turned_away(first):
        # Refused for want of a caller before any body is read: the other texts would meet
        # the same refusal. The bodies that break the parser itself are still sent.
        texts = texts[:1]
    for text in texts[1:]:
        send(text, reads_json)
    if not ids_are_real:
        return
    for raw in (DEEP_JSON, HUGE_INTEGER_JSON):
        response = client.open(
            path, method=method, data=raw, headers=headers, content_type="application/json"
        )
        _check(response, method, path)
    if len(texts) > 1 and reads_json:  # the numbers the API reads, by a caller let in
        for value in TYPED_VALUES:
            body = dict.fromkeys(BODY_NAMES, value)
            _check(client.open(path, method=method, json=body, headers=headers), method, path)
    long_type = "multipart/form-data; boundary=" + "a" * 150
    response = client.open(
        path, method=method, data=b"--x--", headers=headers, content_type=long_type
    )
    _check(response, method, path)


class _AdminLetIn:
    """A test client for the admin's calls that fails on a 401: the walk must reach the route's
    own reading of the input, not stop at the door for want of a caller. The agents' routes and
    the metrics take their own credentials, not a person's token; the route that revokes the
    caller's own token gets a fresh one for each call."""

    def __init__(self, app, path: str, world):
        self._client = app.test_client()
        self._world = world
        self._own_credentials = path.startswith(("/api/v1/agent", "/metrics"))
        self._revokes_its_token = path == "/api/v1/auth/tokens/current"

    def open(self, *args, **kwargs):
        if self._revokes_its_token:
            kwargs["headers"] = self._world.headers("admin")
        response = self._client.open(*args, **kwargs)
        # Read to the end and closed: a streamed answer (a CSV statement) fails while it is
        # read, and one left open would hold its request context past the next call.
        response.get_data()
        response.close()
        if not self._own_credentials:
            assert response.status_code != 401, (args, response.get_data(as_text=True)[:200])
        return response

    def get(self, *args, **kwargs):
        return self.open(*args, method="GET", **kwargs)


def test_every_route_survives_hostile_input(app, world, login):
    world_, ids = world
    agent = [world_.headers("agent")]  # the agents' routes read nothing of anyone else
    for rule in _rules(app):
        # Fresh for each route, so that no route is walked with a token another one revoked.
        admin = world_.headers("admin")
        callers = [admin, {}]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for index, path in enumerate(_path_variants(rule, ids)):
                texts = _texts_for(index)
                for headers in callers + (agent if rule.rule.startswith("/api/v1/agent/") else []):
                    client = app.test_client()
                    if headers is admin:
                        client = _AdminLetIn(app, path, world_)
                    if method != "GET":
                        _send_hostile_bodies(client, method, path, headers, texts, index == 0)
                        continue
                    for text in texts[:10]:
                        query = dict.fromkeys(QUERY_NAMES, text)
                        response = client.get(path, query_string=query, headers=headers)
                        _check(response, method, path)


def test_pages_survive_hostile_input_when_signed_in(app, world, login):
    world_, ids = world
    login(world_.users["admin"])
    client = world_.client
    for rule in _rules(app):
        if rule.rule.startswith("/api/") or "GET" not in rule.methods:
            continue
        for index, path in enumerate(_path_variants(rule, ids)):
            for text in _texts_for(index)[:14]:
                query = dict.fromkeys(QUERY_NAMES, text)
                _check(client.get(path, query_string=query), "GET", path)


def test_page_forms_survive_hostile_input(app, world, login):
    world_, ids = world
    login(world_.users["admin"])
    client = world_.client
    for rule in _rules(app):
        if rule.rule.startswith("/api/") or "POST" not in rule.methods or "logout" in rule.rule:
            continue
        for index, path in enumerate(_path_variants(rule, ids)[:2]):
            for text in _texts_for(index):
                form = dict.fromkeys([*BODY_NAMES, *QUERY_NAMES, "ids", "token"], text)
                _check(client.post(path, data=form), "POST", path)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_days_past_the_ends_of_the_calendar_are_400_or_ignored(client, make, login, day):
    """Found by the hostile-input suite once it sent days: each was a 500 (OverflowError)."""
    refused = client.get(f"/api/v1/impact?from=2026-01-01&to={day}")
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "bad_request"
    assert "to" in refused.json["error"]["fields"]
    login(make.user("researcher"))
    board = client.get(f"/challenges?deadline_before={day}")
    assert board.status_code == 200  # a filter that cannot be read is left out
