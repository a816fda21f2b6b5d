"""SQLite's writers' queue: a write request reads who is calling (and a booking its instrument)
before its turn, and takes the turn (BEGIN IMMEDIATE) before the first read its decision rests
on."""

from __future__ import annotations

import threading

import pytest

from sharing.core.dbsetup import PROCESS_QUEUE
from sharing.extensions import db
from tests.conftest import count_queries
from tests.fixtures.bookings import at, next_weekday, weekday_instrument

# PostgreSQL has no writers' queue: it locks the instrument (test_booking_concurrency.py).
pytestmark = pytest.mark.sqlite_only


def _in_order(statements: list[str]) -> list[str]:
    """Each statement by its first words and first table."""
    named = []
    for statement in statements:
        words = statement.split()
        if words[0] == "BEGIN":
            named.append(" ".join(words))
        elif words[0] == "SELECT":
            named.append(f"SELECT {words[words.index('FROM') + 1]}")
        else:  # INSERT INTO t, UPDATE t, DELETE FROM t
            named.append(f"{words[0]} {words[2] if words[1] in ('INTO', 'FROM') else words[1]}")
    return named


def _booking(make):
    instrument = weekday_instrument(make)
    day = next_weekday()
    return {"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)}


def test_the_token_is_read_before_the_turn_and_everything_else_after(app, make, token_for):
    headers, body = token_for(make.user()), _booking(make)
    client = app.test_client()
    client.get("/api/v1/bookings", headers=headers)  # the token's "last used" written now
    with count_queries() as statements:
        assert client.post("/api/v1/bookings", json=body, headers=headers).status_code == 201
    order = _in_order(statements)
    # The caller and the instrument as committed (PostgreSQL reads the instrument so too, in
    # the statement that waits for its lock); busy time and the writes inside the turn.
    assert order[:3] == ["SELECT api_tokens", "SELECT instruments", "BEGIN IMMEDIATE"], order
    assert order.count("BEGIN IMMEDIATE") == 1, order
    assert "SELECT bookings" in order[3:], order  # the reading
    assert order[-3:-1] == ["INSERT bookings", "INSERT booking_events"], order
    assert order[-1].endswith(" feed_versions"), order  # the schedule's version, made or moved
    # What was loaded before the turn is used as loaded: not read again inside it.
    assert not [s for s in order[3:] if s.split()[1] in ("api_tokens", "users", "instruments")]


def test_a_signed_in_users_form_reads_the_user_before_the_turn(client, make, login):
    login(make.user())
    with count_queries() as statements:
        client.post("/logout")  # raises the user's session epoch: a write
    order = _in_order(statements)
    assert order[:2] == ["SELECT users", "BEGIN IMMEDIATE"], order
    assert "UPDATE users" in order[2:], order


def test_reads_are_never_in_the_writers_queue(app, make, token_for):
    headers = token_for(make.user())
    with count_queries() as statements:
        assert app.test_client().get("/api/v1/bookings", headers=headers).status_code == 200
    assert "BEGIN IMMEDIATE" not in _in_order(statements)


def test_a_writer_holding_the_turn_does_not_keep_others_from_reading_who_they_are(
    app, make, token_for
):
    """While one writer holds the turn, another write request gets as far as its turn: its
    token was read (its 'last used' was written earlier), and it waits, then books."""
    headers, body = token_for(make.user()), _booking(make)
    client = app.test_client()
    client.get("/api/v1/bookings", headers=headers)
    holder = db.engine.raw_connection()
    holder.driver_connection.take_writer_turn()
    try:
        statuses = []

        def book():
            statuses.append(client.post("/api/v1/bookings", json=body, headers=headers))

        booker = threading.Thread(target=book)
        with count_queries() as seen:
            booker.start()
            booker.join(timeout=2)
            assert booker.is_alive(), "the second writer did not wait for the turn"
            assert any("FROM api_tokens" in s for s in seen), seen
    finally:
        holder.driver_connection.end_writer_turn()
        holder.close()
    booker.join(timeout=30)
    assert statuses and statuses[0].status_code == 201


def test_write_requests_of_one_process_take_turns_from_their_start(app, make, token_for):
    """A writer holding the process's turn is not interleaved with its neighbours' work: the
    next write request waits before its first statement; reads go on meanwhile."""
    headers, body = token_for(make.user()), _booking(make)
    client = app.test_client()
    client.get("/api/v1/bookings", headers=headers)
    queue = app.extensions[PROCESS_QUEUE]
    queue.acquire()  # as a write request of this process would, from its start
    try:
        statuses = []
        booker = threading.Thread(
            target=lambda: statuses.append(
                client.post("/api/v1/bookings", json=body, headers=headers).status_code
            )
        )
        with count_queries() as seen:
            booker.start()
            booker.join(timeout=1)
            assert booker.is_alive(), "the second writer did not wait for the process's turn"
            assert not [s for s in seen if "api_tokens" in s or "bookings" in s], seen
        assert client.get("/api/v1/bookings", headers=headers).status_code == 200
    finally:
        queue.release()
    booker.join(timeout=30)
    assert statuses == [201]


def test_the_process_turn_ends_with_the_request_whatever_its_answer(app, make, token_for):
    headers, body = token_for(make.user()), _booking(make)
    client = app.test_client()
    queue = app.extensions[PROCESS_QUEUE]
    assert client.post("/api/v1/bookings", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/bookings", json=body, headers=headers).status_code == 409
    assert client.post("/api/v1/bookings", json=body).status_code == 401
    assert client.post("/api/v1/bookings", json={"start": "x"}, headers=headers).status_code == 400
    assert queue.acquire(blocking=False), "a request left the process's turn held"
    queue.release()
