"""Booking benchmark: POST /api/v1/bookings with 100 and 100,000 existing bookings, and a race.

Usage:
    .venv/bin/python bench/booking.py                          # SQLite in a temporary folder
    .venv/bin/python bench/booking.py --database-url postgresql://postgres@127.0.0.1:5432/test

The history is inserted in bulk (approved, back to back, in the past); the timed requests book
new, non-overlapping hours in the future through the real API, one after another. The race
sends N simultaneous requests for one slot from N threads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade

from bench.common import (
    booking_row,
    commit_and_analyze,
    fresh_database,
    insert_bookings,
    percentile,
)
from sharing import create_app
from sharing.auth.services import create_user, issue_api_token
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation

HOUR = timedelta(hours=1)


def setup(history: int, racers: int) -> tuple[int, list[str]]:
    """An always-open instrument with `history` past bookings, and tokens for the racers."""
    lab = create_organisation("bench-lab", "基准实验室", "institute")
    users = [
        create_user(f"bench{n}@example.org", f"基准{n}", "bench-pass-1", "researcher", lab)
        for n in range(racers + 1)
    ]
    manager = create_user("bench-manager@example.org", "管理员", "bench-pass-1", "manager", lab)
    instrument = create_instrument(
        manager,
        {
            "name": "基准质谱仪",
            "category": "mass-spectrometry",
            "rules": {"open_hours": [], "horizon_days": 730, "max_minutes": 24 * 60},
        },
    )
    tokens = [issue_api_token(user) for user in users]
    start = datetime(2026, 1, 1, tzinfo=UTC) - history * HOUR
    rows = [
        booking_row(instrument.id, users[0].id, start + n * HOUR, start + (n + 1) * HOUR, start)
        for n in range(history)
    ]
    insert_bookings(rows)
    commit_and_analyze()
    return instrument.id, tokens


def timed_creations(
    client, instrument_id: int, token: str, count: int, days_ahead: int
) -> list[float]:
    first = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
        minute=0, second=0, microsecond=0
    )
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    for n in range(count):
        start = first + 2 * n * HOUR
        body = {
            "instrument_id": instrument_id,
            "start": start.isoformat(),
            "end": (start + HOUR).isoformat(),
        }
        began = time.perf_counter()
        response = client.post("/api/v1/bookings", json=body, headers=headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 201, response.json
    return timings


def race(app, instrument_id: int, tokens: list[str]) -> int:
    start = (datetime.now(UTC) + timedelta(days=200)).replace(minute=0, second=0, microsecond=0)
    body = {
        "instrument_id": instrument_id,
        "start": start.isoformat(),
        "end": (start + HOUR).isoformat(),
    }
    barrier = threading.Barrier(len(tokens))
    results: list[int] = []

    def attempt(token):
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/v1/bookings", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) <= {201, 409}, results
    return results.count(201)


def scenario(admin_url: str | None, history: int, requests: int, racers: int) -> None:
    with tempfile.TemporaryDirectory() as folder, fresh_database(admin_url, folder) as url:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            upgrade()
            instrument_id, tokens = setup(history, racers)
            backend = db.engine.dialect.name
        client = app.test_client()
        timed_creations(client, instrument_id, tokens[0], 5, days_ahead=2)  # warm-up
        began = time.perf_counter()
        timings = timed_creations(client, instrument_id, tokens[0], requests, days_ahead=4)
        rate = requests / (time.perf_counter() - began)
        won = race(app, instrument_id, tokens[1:])
        print(
            f"{backend:<10} {history:>8} {rate:>10.1f} {statistics.median(timings):>10.1f} "
            f"{percentile(timings, 95):>8.1f} {won:>4} of {racers}"
        )
        with app.app_context():
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--racers", type=int, default=20)
    parser.add_argument("--history", type=int, nargs="+", default=[100, 100_000])
    args = parser.parse_args()
    print(f"{'backend':<10} {'existing':>8} {'created/s':>10} {'median ms':>10} {'p95 ms':>8} race")
    for history in args.history:
        scenario(args.database_url, history, args.requests, args.racers)


if __name__ == "__main__":
    main()
