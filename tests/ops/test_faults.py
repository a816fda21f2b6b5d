"""Faults on a private PostgreSQL server: a crash and restart under load, a worker killed
in the middle of a booking. Nothing acknowledged may be lost, nothing may be stored twice,
nothing may be half-written, and the app must recover without being restarted.

Needs PostgreSQL's server binaries (initdb, pg_ctl); `.ci/run` sets SHARING_REQUIRE_OPS=1.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from bench.servers import gunicorn
from sharing.demo.data import BOOKER_EMAILS, DEMO_PASSWORD
from tests.ops.demo_database import restore_seeded_demo
from tests.ops.pgserver import PrivatePostgres, postgres_bin
from tests.ops.support import http, need

PASSWORD = DEMO_PASSWORD
BOOKERS = BOOKER_EMAILS[:6]


@pytest.fixture(scope="module")
def private_postgres():
    need(postgres_bin("initdb") is not None, "PostgreSQL's server binaries are not installed")
    server = PrivatePostgres().init()
    server.start()
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE sharing")
    restore_seeded_demo(server.url("sharing"))
    yield server
    server.remove()


def call(base: str, method: str, path: str, body=None, token: str | None = None):
    """(status, json) — status 0 when the connection itself failed."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    status, _headers, raw = http(base + path, headers, data, method)
    if status == 0:
        return 0, None
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, {"raw": raw[:200].decode(errors="replace")}


def token(base: str, email: str) -> str:
    status, body = call(base, "POST", "/api/v1/auth/tokens", {"email": email, "password": PASSWORD})
    assert status == 201, body
    return body["token"]


def open_instrument(base: str) -> int:
    """An always-open instrument confirmed at once, so every free slot books with 201."""
    body = {
        "name": "故障测试仪",
        "category": "other",
        "organisation": "qnlm",
        "requires_approval": False,
        "rules": {"open_hours": [], "notice_hours": 0, "horizon_days": 730},
    }
    status, created = call(
        base, "POST", "/api/v1/instruments", body, token(base, "admin@bluevalley.example")
    )
    assert status == 201, created
    return created["id"]


def slot(index: int) -> tuple[str, str]:
    first = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
    start = first + timedelta(minutes=30 * index)
    return start.isoformat(), (start + timedelta(minutes=30)).isoformat()


def test_database_crash_under_load_loses_and_duplicates_nothing(private_postgres, tmp_path):
    database = private_postgres.url("sharing")
    with gunicorn(database, workers=2, log_dir=tmp_path) as server:
        base = server.url
        instrument = open_instrument(base)
        tokens = [token(base, email) for email in BOOKERS]
        statuses: Counter[int] = Counter()
        settled: dict[int, tuple[int, int]] = {}  # slot -> (status, client)
        lock = threading.Lock()
        stop = threading.Event()
        restarted_at: list[float] = []
        booked_after_restart = threading.Event()

        def client(number: int) -> None:
            index = number
            while not stop.is_set():
                start, end = slot(index)
                body = {"instrument_id": instrument, "start": start, "end": end, "purpose": "load"}
                while True:  # retry the same slot until the outcome is certain
                    status, answer = call(base, "POST", "/api/v1/bookings", body, tokens[number])
                    with lock:
                        statuses[status] += 1
                    if status in (201, 409):
                        with lock:
                            settled[index] = (status, number)
                        if status == 201 and restarted_at and time.monotonic() > restarted_at[0]:
                            booked_after_restart.set()
                        break
                    assert status == 503, (status, answer)  # never a 500, never a lost answer
                    assert answer["error"]["code"] == "unavailable"
                    time.sleep(0.1)
                index += len(tokens)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(len(tokens))]
        for thread in threads:
            thread.start()
        time.sleep(2)
        private_postgres.stop("immediate")  # a crash: connections cut mid-transaction
        time.sleep(3)
        assert call(base, "GET", "/healthz")[0] == 503
        private_postgres.start()
        restarted_at.append(time.monotonic())
        assert booked_after_restart.wait(30), "the app did not recover by itself"
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join(60)
        assert call(base, "GET", "/healthz")[0] == 200
        assert server.process.poll() is None  # the same gunicorn served throughout

    assert statuses[503] > 0, statuses  # the outage was felt ...
    assert set(statuses) <= {201, 409, 503}, statuses  # ... and answered properly
    with psycopg.connect(database) as connection:
        rows = connection.execute(
            "SELECT start, user_id, (SELECT count(*) FROM booking_events e"
            " WHERE e.booking_id = b.id) FROM bookings b WHERE instrument_id = %s",
            (instrument,),
        ).fetchall()
        users = dict(connection.execute("SELECT email, id FROM users").fetchall())
    stored = Counter(row[0] for row in rows)
    assert max(stored.values()) == 1, "a slot was stored twice"
    expected = {datetime.fromisoformat(slot(index)[0]) for index in settled}
    assert set(stored) == expected, "stored bookings differ from the acknowledged ones"
    owner = {row[0]: row[1] for row in rows}
    for index, (_status, number) in settled.items():  # a 409 after a 503 is the client's own
        assert owner[datetime.fromisoformat(slot(index)[0])] == users[BOOKERS[number]]
    assert all(events >= 1 for _start, _user, events in rows), "a booking without its history"
    print(f"crash test: {dict(statuses)}; {len(rows)} bookings stored, all acknowledged")


def test_worker_killed_mid_booking_leaves_nothing_half_written(private_postgres, tmp_path):
    database = private_postgres.url("sharing")
    with gunicorn(database, workers=1, log_dir=tmp_path) as server:
        base = server.url
        instrument = open_instrument(base)
        booker = token(base, BOOKERS[0])
        start, end = slot(5000)
        body = {"instrument_id": instrument, "start": start, "end": end, "purpose": "killed"}
        (worker,) = server.worker_pids()

        with psycopg.connect(database) as blocker:
            # The booking row goes in first, then its history: hold the history table so the
            # worker stops between the two, inside its transaction.
            blocker.execute("LOCK TABLE booking_events IN ACCESS EXCLUSIVE MODE")
            outcome: list = []
            request = threading.Thread(
                target=lambda: outcome.append(call(base, "POST", "/api/v1/bookings", body, booker))
            )
            request.start()
            with psycopg.connect(database, autocommit=True) as watcher:
                for _ in range(100):
                    waiting = watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND query ILIKE 'INSERT INTO booking_events%%'"
                    ).fetchone()[0]
                    if waiting:
                        break
                    time.sleep(0.1)
                assert waiting == 1, "the worker never reached the history insert"
                half_written = watcher.execute(
                    "SELECT count(*) FROM bookings WHERE purpose = 'killed'"
                ).fetchone()[0]
                assert half_written == 0  # not visible: uncommitted
            os.kill(worker, signal.SIGKILL)
            request.join(30)
            blocker.rollback()  # let the orphaned transaction run into its closed socket

        assert outcome and outcome[0][0] == 0, outcome  # the connection died with the worker
        with psycopg.connect(database, autocommit=True) as connection:
            for _ in range(50):  # the server notices the dead client and rolls back
                active = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE"
                    " 'INSERT INTO booking_events%%' AND state <> 'idle'"
                ).fetchone()[0]
                if not active:
                    break
                time.sleep(0.1)
            assert (
                connection.execute(
                    "SELECT count(*) FROM bookings WHERE purpose = 'killed'"
                ).fetchone()[0]
                == 0
            )
            orphans = connection.execute(
                "SELECT count(*) FROM booking_events e WHERE NOT EXISTS"
                " (SELECT 1 FROM bookings b WHERE b.id = e.booking_id)"
            ).fetchone()[0]
            assert orphans == 0

        # gunicorn replaced the worker, and the same slot books cleanly: nothing was left behind.
        # The killed worker leaves the list before its replacement joins it: wait for both.
        deadline = time.monotonic() + 30
        workers = server.worker_pids()
        while time.monotonic() < deadline and (worker in workers or len(workers) != 1):
            time.sleep(0.2)
            workers = server.worker_pids()
        assert worker not in workers and len(workers) == 1
        status, booking = (0, None)
        while time.monotonic() < deadline and status == 0:
            status, booking = call(base, "POST", "/api/v1/bookings", body, booker)
        assert status == 201, booking
