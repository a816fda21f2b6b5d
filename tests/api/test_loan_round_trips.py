"""What one loan request asks of the database: a fixed handful of statements, whatever the
number of items (issue 31's bench: five items read their busy time, rates and operators in
statements of their own and took 100-200 ms).

The instruments, their locks (PostgreSQL) and dearest operators come in one statement, their
rates, open hours and owners in one each; the busy time of every item in two (bookings,
downtimes and holds; other loans); the schedules' versions are read and written once each.
"""

from __future__ import annotations

import re

from sharing.extensions import db
from tests.conftest import count_queries
from tests.fixtures.loans import day_instrument, day_rates, days_ahead, sea_gear

WORK = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def _five_items(make, token_for) -> tuple[dict, list[int]]:
    """The ROV and the CTD of two owners, and three more day instruments of the same two."""
    gear = sea_gear(make, token_for)
    ctd_owner = make.user("manager", gear["ctd"].organisation)
    more = [
        day_instrument(make, manager, day_rates("1000.00"))
        for manager in (gear["pilot"], ctd_owner, gear["pilot"])
    ]
    return gear, [gear["rov"].id, gear["ctd"].id] + [m.id for m in more]


def _request(client, gear, ids: list[int], first: int) -> list[str]:
    body = {
        "items": [{"instrument_id": i, "with_operator": i == gear["rov"].id} for i in ids],
        "start_date": days_ahead(first).isoformat(),
        "end_date": days_ahead(first + 2).isoformat(),
        "site": "青岛港",
    }
    with count_queries() as statements:
        answer = client.post("/api/v1/loans", json=body, headers=gear["as_borrower"])
    assert answer.status_code == 201, answer.json
    return [" ".join(s.split()) for s in statements if s.lstrip().startswith(WORK)]


def _statements(client, make, token_for) -> tuple[list[str], list[str]]:
    gear, ids = _five_items(make, token_for)
    # A first request: the token's first use and the schedules' first versions are its own.
    _request(client, gear, ids, 10)
    return _request(client, gear, ids[:2], 20), _request(client, gear, ids, 30)


def _loan_item_inserts(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("INSERT INTO loan_items")]


def test_a_loan_request_does_not_read_more_per_item(client, make, token_for):
    two, five = _statements(client, make, token_for)
    if db.engine.dialect.name == "postgresql":
        assert len(five) == len(two), (two, five)
    else:
        # SQLite inserts the items row by row (a multi-row INSERT ... RETURNING has no
        # guaranteed order there); everything else is the same.
        assert len(_loan_item_inserts(five)) == 5 and len(_loan_item_inserts(two)) == 2
        assert len(five) - 5 == len(two) - 2, (two, five)


def test_the_busy_time_of_all_items_is_read_at_once(client, make, token_for):
    _two, five = _statements(client, make, token_for)
    reads = [s for s in five if s.startswith("SELECT")]
    busy = [s for s in reads if "FROM bookings" in s]
    assert len(busy) == 1 and "FROM downtimes" in busy[0] and "FROM waitlist_entries" in busy[0]
    assert len([s for s in reads if "FROM loan_items" in s]) == 1, reads
    assert len([s for s in reads if "FROM feed_versions" in s]) == 1, reads
    # Rates, open hours, owners, the dearest operator, the borrower's standing and the lock
    # come with the instruments, not in statements of their own.
    (instruments,) = [s for s in reads if s.startswith("SELECT instruments.id")]
    for table in ("rates", "open_hours", "organisations", "instrument_operators", "suspensions"):
        assert re.search(rf"\b{table}\b", instruments), table
        assert not [s for s in reads if s.startswith(f"SELECT {table}.")], (table, reads)
    assert "qualified_users" in instruments
    assert not [s for s in reads if s.startswith("SELECT pg_advisory")], reads
    if db.engine.dialect.name == "postgresql":
        assert "pg_advisory_xact_lock" in instruments


def test_a_five_item_loan_request_is_a_fixed_count_of_statements(client, make, token_for):
    """The token, the instruments (with all they bring, and their locks), two busy reads, the
    versions (read, write), the loan, its history, its items (one statement but on SQLite),
    the owners' managers, their languages (a notice is stored in its reader's) and their notices
    (one statement but on SQLite)."""
    _two, five = _statements(client, make, token_for)
    # SQLite: the five items and the four managers' notices row by row.
    expected = 12 if db.engine.dialect.name == "postgresql" else 12 + (5 - 1) + (4 - 1)
    assert len(five) == expected, five
