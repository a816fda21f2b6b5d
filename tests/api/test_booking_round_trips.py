"""What one booking asks of the database: a fixed handful of statements, whatever the rules.

The fast path (issue 19) reads everything a decision needs in one statement after the lock:
busy time, the booker's suspension and quotas, and the schedule's version.
"""

import re

from sqlalchemy import inspect

from sharing.bookings.models import Booking
from sharing.extensions import db
from tests.conftest import count_queries
from tests.fixtures.bookings import at, next_weekday, weekday_instrument

QUOTAS = {"max_hours_per_week": 20, "max_future_bookings": 5}


def _statements_of_a_booking(app, make, token_for, rules) -> list[str]:
    client = app.test_client()
    instrument = weekday_instrument(make, rules=rules)
    headers = token_for(make.user())
    day = next_weekday()
    first = {"instrument_id": instrument.id, "start": at(day, 8), "end": at(day, 9)}
    assert client.post("/api/v1/bookings", json=first, headers=headers).status_code == 201
    second = {**first, "start": at(day, 10), "end": at(day, 11)}
    with count_queries() as statements:
        assert client.post("/api/v1/bookings", json=second, headers=headers).status_code == 201
    return [" ".join(s.split()) for s in statements]


def test_a_booking_reads_what_it_decides_on_in_one_statement(app, make, token_for):
    statements = _statements_of_a_booking(app, make, token_for, QUOTAS)
    reads_of_bookings = [s for s in statements if s.startswith("SELECT") and "FROM bookings" in s]
    assert len(reads_of_bookings) == 1, statements
    (reading,) = reads_of_bookings
    for table in ("downtimes", "waitlist_entries", "suspensions", "feed_versions"):
        assert f"FROM {table}" in reading, table
    # Busy time (bookings, downtimes, holds), the suspension, own bookings in the quota weeks,
    # the capped count of upcoming ones and the schedule's version: seven arms.
    assert reading.count("UNION ALL") == 6
    assert _writes(statements) == [
        "INSERT bookings",
        "INSERT booking_events",
        "UPDATE feed_versions",
    ]


WRITES = re.compile(r"\b(INSERT INTO|UPDATE|DELETE FROM) (\w+)")


def _writes(statements: list[str]) -> list[str]:
    """What the statements write, in order, one entry per table written."""
    return [
        f"{verb.split()[0]} {table}"
        for statement in statements
        if statement.startswith(("INSERT", "UPDATE", "DELETE", "WITH"))
        for verb, table in WRITES.findall(statement)
    ]


def test_on_postgresql_the_three_writes_are_one_statement(app, make, token_for):
    statements = _statements_of_a_booking(app, make, token_for, QUOTAS)
    writing = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE", "WITH"))]
    if db.engine.dialect.name == "postgresql":
        assert len(writing) == 1, writing
        assert writing[0].startswith("WITH inserted AS (INSERT INTO bookings"), writing
    else:  # SQLite has no data-modifying WITH
        assert len(writing) == 3, writing


def test_without_quotas_the_reading_has_no_quota_arms(app, make, token_for):
    statements = _statements_of_a_booking(app, make, token_for, {})
    (reading,) = [s for s in statements if "FROM suspensions" in s]
    # Busy time, the suspension and the version: the quota arms are read only where a rule
    # will look at them.
    assert reading.count("UNION ALL") == 4


def test_the_answer_is_built_from_the_insert_without_loading_the_booking(app, make, token_for):
    statements = _statements_of_a_booking(app, make, token_for, {})
    assert not [s for s in statements if s.startswith("SELECT bookings.id")], statements
    booking = db.session.scalars(db.select(Booking).order_by(Booking.id.desc()).limit(1)).one()
    assert inspect(booking).persistent


def test_a_booking_is_six_statements_on_sqlite_and_four_on_postgresql(app, make, token_for):
    """The token and its user, the instrument (and, on PostgreSQL, its lock, in the same
    statement), the reading, and the three writes (one statement on PostgreSQL)."""
    statements = _statements_of_a_booking(app, make, token_for, QUOTAS)
    work = [s for s in statements if s.startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"))]
    assert len(work) == (4 if db.engine.dialect.name == "postgresql" else 6), work
    assert not [s for s in work if s.startswith("SELECT pg_advisory")], work
