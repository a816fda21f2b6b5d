"""Exactly once, for every state-changing API route: N simultaneous identical requests sent to
gunicorn (production configuration, two workers) change the database and send mail exactly as
one request does.

The rows come from the authorisation table (a new route without a row fails there); each
state-changing row must have an expectation here (a row without one fails here). For each row
the same call is made once on a fresh target, to measure what one success writes (rows added
to every table), then N times at once on another fresh target: the rows written must be the
same, and so must the mails the server sent, so there is never a second charge, history row,
application, award or mail. Creations that are
legitimately repeatable are sent with one `Idempotency-Key`, so the repeats must be replays.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.extensions import db
from tests.fixtures.billing import ROLLUP_TABLES
from tests.fixtures.concurrency import Call, burst, mails_delivered, send
from tests.fixtures.routes_table import TABLE, Row
from tests.fixtures.world import AGENT_ROLES, ROLES, World

N = 4
ONCE = "once"  # one 2xx, the others 409 (404 for a delete that found nothing)
SAME = "same"  # all may answer 2xx (idempotent by nature), but the effect is one request's
KEYED = "keyed"  # repeatable creations: sent with one Idempotency-Key, the rest are replays

EXPECT = {
    "POST /auth/tokens": None,  # anonymous: no user to keep a key for; a token per call
    "DELETE /auth/tokens/current": None,  # the token is gone after the first: 401, tested
    "POST /me/calendar-token": SAME,
    "POST /instruments": KEYED,
    "PATCH /instruments/{instrument}": SAME,
    "POST /instruments/{instrument}/downtimes": KEYED,
    "POST /instruments/{instrument}/qualified-users": ONCE,
    "DELETE /instruments/{instrument}/qualified-users/{user}": ONCE,
    "POST /bookings": ONCE,
    "POST /bookings/{booking}/approve": ONCE,
    "POST /bookings/{booking}/reject": ONCE,
    "POST /bookings/{booking}/cancel": ONCE,
    "POST /bookings/decisions": SAME,
    "POST /bookings/{booking}/check-in": ONCE,
    "POST /bookings/{booking}/check-out": ONCE,
    "POST /bookings/{booking}/no-show": ONCE,
    "POST /bookings/{booking}/usage": KEYED,  # a correction may be entered again on purpose
    "DELETE /downtimes/{downtime}": ONCE,
    "POST /downtimes/{downtime}/cancel-affected": SAME,
    "POST /statements/{closable_month}/close": ONCE,
    "POST /adjustments": KEYED,
    "POST /orders": KEYED,
    "POST /orders/{order}/quote": KEYED,  # the lab may revise a quote until it is accepted
    "POST /orders/{order}/accept": ONCE,
    "POST /orders/{order}/decline": ONCE,
    "POST /orders/{order}/cancel": ONCE,
    "POST /orders/{order}/receive": ONCE,
    "POST /orders/{order}/runs": ONCE,
    "POST /orders/{order}/start": ONCE,
    "POST /orders/{order}/results": KEYED,
    "POST /instruments/{instrument}/photos": KEYED,
    "DELETE /instruments/{instrument}/photos/{photo}": ONCE,
    "POST /orders/{order}/deliver": ONCE,
    "POST /orders/{order}/complete": ONCE,
    "POST /bookings/{booking}/rating": ONCE,
    "POST /orders/{order}/rating": ONCE,
    "POST /instruments/{instrument}/incidents": KEYED,  # two reports of one fault are two
    "POST /incidents/{incident}/resolve": ONCE,
    "POST /achievements": KEYED,
    "POST /achievements/{achievement}/confirm": ONCE,
    "POST /achievements/{achievement}/reject": ONCE,
    "POST /challenges": KEYED,
    "PATCH /challenges/{challenge}": SAME,
    "POST /challenges/{challenge}/applications": ONCE,
    "PATCH /applications/{application}": SAME,
    "POST /challenges/{challenge}/award": ONCE,
    "POST /challenges/{challenge}/complete": ONCE,
    "POST /challenges/{challenge}/withdraw": ONCE,
    "POST /instruments/{instrument}/training-requests": ONCE,
    "POST /training-requests/{training}/schedule": ONCE,
    "POST /training-requests/{training}/grant": ONCE,
    "POST /training-requests/{training}/decline": ONCE,
    "POST /instruments/{instrument}/waitlist": ONCE,
    "DELETE /waitlist/{entry}": ONCE,
    "POST /waitlist/{entry}/accept": ONCE,
    "POST /notifications/{notice}/read": SAME,
    "POST /notifications/read-all": SAME,
    "POST /invoices": ONCE,  # a charge is covered once; the number is unique per provider
    "POST /invoices/{invoice}/paid": ONCE,
    "POST /accounts": ONCE,  # each code once per organisation (unique key)
    "POST /accounts/{account}/members": ONCE,  # each member once (unique key)
    "DELETE /accounts/{account}/members/{member}": ONCE,
    "POST /voucher-programmes": ONCE,  # one a year (unique key)
    "POST /voucher-claims": KEYED,  # a firm may claim again; a held charge is refused by line
    "POST /voucher-claims/{claim}/approve": ONCE,
    "POST /voucher-claims/{claim}/reject": ONCE,
    "POST /voucher-claims/{claim}/pay": ONCE,
    "POST /visits": KEYED,
    "POST /needs": KEYED,
    "POST /needs/{need}/claim": ONCE,
    "POST /needs/{need}/meetings": KEYED,  # two talks are two meetings
    "POST /needs/{need}/contract": ONCE,
    "POST /needs/{need}/close": ONCE,
    "POST /needs/{need}/publish": ONCE,
    "POST /challenges/{challenge}/milestones": KEYED,
    "POST /milestones/{milestone}/deliver": ONCE,
    "POST /milestones/{milestone}/accept": ONCE,
    "POST /milestones/{milestone}/reject": ONCE,
    "POST /transfers": KEYED,
    "POST /experts": KEYED,
    "PATCH /experts/{expert}": SAME,
    "PATCH /organisations/{org}": SAME,
    "POST /instruments/{instrument}/agents": KEYED,  # two PCs are two agents
    "DELETE /agents/{agent}": ONCE,
    "POST /agent-sessions/{session}/confirm": ONCE,  # one booking, one charge
    "POST /agent-sessions/{session}/dismiss": ONCE,
    "POST /agent-sessions/{session}/end": SAME,  # an ended session is answered as it ended
    "PATCH /users/{user}": SAME,
    # Cruises: one cruise on the vessel's days, each step once, one application per person,
    # one allocation, one set of charges, one report and one data record.
    "POST /cruises": ONCE,
    "POST /cruises/{cruise}/open": ONCE,
    "POST /cruises/{cruise}/applications": ONCE,
    "POST /cruises/{cruise}/allocate": ONCE,
    "POST /cruises/{cruise}/depart": ONCE,
    "POST /cruises/{cruise}/complete": ONCE,
    "POST /cruises/{cruise}/cancel": ONCE,
    "POST /cruises/{cruise}/report": ONCE,
    "POST /cruise-applications/{cruise_application}/data": ONCE,
    # Loans: two requests for the same days, one holds them; each decision once; the
    # inspection's charges once; an extension or a policy said again is already so.
    "POST /loans": ONCE,
    "PATCH /loans/{loan}": SAME,
    "POST /loans/{loan}/items/{item}/approve": ONCE,
    "POST /loans/{loan}/items/{item}/decline": ONCE,
    "POST /loans/{loan}/cancel": ONCE,
    "POST /loans/{loan}/deposit": ONCE,
    "POST /loans/{loan}/items/{item}/dispatch": ONCE,
    "POST /loans/{loan}/items/{item}/return": ONCE,
    "POST /loans/{loan}/items/{item}/inspect": ONCE,
    "POST /loans/{loan}/extend": SAME,
    "POST /instruments/{instrument}/components": KEYED,
    "POST /instruments/{instrument}/operators": ONCE,  # each person once per instrument
    # The agent's own: a start of the person in session is that session, an end of an ended
    # one is that end (one check-out, one charge), a heartbeat is a heartbeat.
    "POST /agent/sessions": SAME,
    "POST /agent/sessions/{session}/end": SAME,
    "POST /agent/heartbeat": SAME,
    "POST /outbox/{mail}/retry": SAME,  # a mail due again is due once
}
# Written by the test's own bookkeeping (a token per caller) or by the key store itself.
# The job runs the site's outbox courier records come when it delivers, after the answer.
# Bookkeeping and the sums kept of the facts (the daily rollup and the income per month: a
# burst adds to a month's row where a first request makes it), not facts a request changes.
UNCOUNTED = {
    "api_tokens",
    "idempotency_keys",
    "feed_versions",
    "job_runs",
    "job_run_totals",
} | ROLLUP_TABLES


def _name(row: Row) -> str:
    return f"{row.method} {row.path.split('?')[0]}"


CHANGING = [row for row in TABLE if row.method in {"POST", "PATCH", "DELETE"}]


def test_every_state_changing_route_has_an_expectation():
    assert {_name(row) for row in CHANGING} == set(EXPECT)


def _allowed_role(row: Row) -> str:
    """The first caller the table lets through: a person, or for the agents' routes an agent."""
    callers = list(zip(ROLES, row.statuses.split(), strict=True))
    if row.agents:
        callers += zip(AGENT_ROLES, row.agents.split(), strict=True)
    return next(role for role, status in callers if status[0] == "2")


def _row_counts() -> dict[str, int]:
    """Every table's rows in one statement (four times a row over 200 rows: one round trip
    each, not one per table)."""
    db.session.rollback()
    tables = [table for table in db.metadata.sorted_tables if table.name not in UNCOUNTED]
    counts = select(
        *(select(func.count()).select_from(table).scalar_subquery() for table in tables)
    )
    return dict(
        zip((table.name for table in tables), db.session.execute(counts).one(), strict=True)
    )


def _delta(before: dict, after: dict) -> dict:
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


def _prepare(world: World, row: Row, role: str):
    """A fresh target, the path, the body and the caller's headers for one row."""
    path, body = world.prepare(row, role)
    return "/api/v1" + path, body, world.headers(role)


def _fresh_body(world: World, row: Row, role: str, body):
    """The same body again (an upload needs its own file object per request)."""
    if isinstance(body, dict) and "file" in body:
        return getattr(world, row.body)(role)
    return body


@pytest.mark.parametrize(
    "row", [r for r in CHANGING if EXPECT.get(_name(r))], ids=lambda row: _name(row)
)
def test_simultaneous_requests_change_what_one_request_changes(server, client, make, row):
    url, inbox = server
    world = World(client, make)
    role = _allowed_role(row)
    expectation = EXPECT[_name(row)]
    key_headers = {"Idempotency-Key": f"burst-{row.method}-{row.path}"[:64]}

    path, body, headers = _prepare(world, row, role)
    before, mails = _row_counts(), mails_delivered(inbox)
    single = send(url, row.method, path, body, headers)
    assert 200 <= single.status_code < 300, (single.status_code, single.json)
    one_request = _delta(before, _row_counts())
    one_request_mails = mails_delivered(inbox) - mails

    path, body, headers = _prepare(world, row, role)
    if expectation == KEYED:
        headers = {**headers, **key_headers}
    bodies = [_fresh_body(world, row, role, body) for _ in range(N)]
    before, mails = _row_counts(), mails_delivered(inbox)
    responses = burst(url, [Call(row.method, path, body, headers) for body in bodies])
    many_requests = _delta(before, _row_counts())
    many_requests_mails = mails_delivered(inbox) - mails

    statuses = sorted(r.status_code for r in responses)
    assert all(status < 500 for status in statuses), statuses
    assert many_requests == one_request, (statuses, many_requests, one_request)
    assert many_requests_mails == one_request_mails, statuses
    successes = [r for r in responses if 200 <= r.status_code < 300]
    if expectation == ONCE:
        assert len(successes) == 1, statuses
        assert all(r.status_code in (404, 409) for r in responses if r not in successes), [
            (r.status_code, r.json) for r in responses
        ]
    elif expectation == KEYED:
        first_runs = [r for r in successes if r.headers.get("Idempotent-Replayed") != "true"]
        assert len(first_runs) == 1, statuses
        assert all(r.body == first_runs[0].body for r in successes)
        assert all(
            r.status_code != 409 or r.json["error"]["code"] == "in_progress" for r in responses
        )
    else:
        assert successes, statuses
