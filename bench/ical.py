"""iCal benchmark: an instrument feed of 10,000 bookings, the library's own floor, and a 304.

Usage:
    .venv/bin/python bench/ical.py                          # SQLite in a temporary folder
    .venv/bin/python bench/ical.py --database-url postgresql://postgres@127.0.0.1:5432/test

The floor is the same 10,000 events built and serialised directly with icalendar, without the
database or the app: the feed cannot be cheaper than that.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from icalendar import Calendar, Event

from bench.common import (
    booking_row,
    commit_and_analyze,
    fresh_database,
    insert_bookings,
    percentile,
)
from sharing import create_app
from sharing.auth.services import create_user
from sharing.core.feedversions import instrument_key, touch
from sharing.extensions import db
from sharing.feeds.http import feed_cache
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation

HOUR = timedelta(hours=1)


def seed(count: int) -> int:
    lab = create_organisation("ical-lab", "日历实验室", "institute")
    manager = create_user("ical@example.org", "日历", "bench-pass-1", "manager", lab)
    instrument = create_instrument(
        manager, {"name": "日历基准仪器", "category": "nmr", "rules": {"open_hours": []}}
    )
    first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=170)
    rows = [
        booking_row(instrument.id, manager.id, first + n * HOUR, first + (n + 1) * HOUR, first)
        for n in range(count)
    ]
    insert_bookings(rows)
    touch(instrument_key(instrument.id))
    commit_and_analyze()
    return instrument.id


def library_floor(count: int) -> bytes:
    """The same events straight through icalendar, nothing else."""
    first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", "-//bench//")
    calendar.add("version", "2.0")
    for n in range(count):
        event = Event()
        event.add("uid", f"busy-{n}@bench")
        event.add("dtstamp", first)
        event.add("last-modified", first)
        event.add("dtstart", first + n * HOUR)
        event.add("dtend", first + (n + 1) * HOUR)
        event.add("summary", "已占用")
        event.add("sequence", 0)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


def timed(action, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database_url, folder) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            instrument_id = seed(args.bookings)
            backend = db.engine.dialect.name
        client = app.test_client()
        path = f"/calendar/instruments/{instrument_id}.ics"
        first = client.get(path)
        events = first.data.count(b"BEGIN:VEVENT")
        assert first.status_code == 200 and events == args.bookings, events

        def cold():
            feed_cache.clear()
            client.get(path)

        feed = timed(cold, args.rounds)
        cached = timed(lambda: client.get(path), args.rounds)
        floor = timed(lambda: library_floor(args.bookings), args.rounds)
        etag = first.headers["ETag"]
        not_modified = timed(lambda: client.get(path, headers={"If-None-Match": etag}), 200)
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        print(f"backend: {backend}; {events} events, {len(first.data) / 1e6:.1f} MB")
        print(f"feed built by the app     median {statistics.median(feed):8.1f} ms")
        print(f"feed from the cache       median {statistics.median(cached):8.1f} ms")
        print(f"icalendar alone (floor)   median {statistics.median(floor):8.1f} ms")
        ratio = statistics.median(feed) / statistics.median(floor)
        print(f"ratio built / floor              {ratio:8.2f}")
        median_304, p95_304 = statistics.median(not_modified), percentile(not_modified, 95)
        print(f"304 answer                median {median_304:8.2f} ms  p95 {p95_304:.2f} ms")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
