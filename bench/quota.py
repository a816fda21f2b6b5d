"""Quota reads: the booker's standing before a booking, against how much the booker holds.

Usage:
    .venv/bin/python bench/quota.py
    .venv/bin/python bench/quota.py --database-url postgresql://postgres@127.0.0.1:5432/test

One instrument with a weekly hours quota; the booker's standing (suspension, future bookings,
hours in the weeks asked about) is read for a one-hour request in the last hour of a week while
the booker holds more and more: bookings inside that week, then 1,000 and 100,000 outside it
(half before, half after). Prints the best of 5 runs of 500 reads, in milliseconds a read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from bench.common import (
    booking_row,
    commit_and_analyze,
    fresh_database,
    insert_bookings,
    migrated_app,
)
from sharing.auth.services import create_user
from sharing.bookings.services.standing import requester_for
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation
from sharing.util.timeutil import Interval

HOUR = timedelta(hours=1)
RULES = {"open_hours": [], "horizon_days": 3650, "max_minutes": 24 * 60, "max_hours_per_week": 168}
# A Monday, local midnight in Shanghai; the request is the last hour of its week.
WEEK = datetime(2027, 3, 1, tzinfo=UTC) - 8 * HOUR
REQUEST = Interval(WEEK + 167 * HOUR, WEEK + 168 * HOUR)


def _insert(instrument_id: int, user_id: int, starts: list[datetime]) -> None:
    """One-hour bookings of the booker at `starts`, then the planner's statistics."""
    insert_bookings([booking_row(instrument_id, user_id, s, s + HOUR, WEEK) for s in starts])
    commit_and_analyze()


def _best_read_ms(user, instrument) -> float:
    now = WEEK - timedelta(days=30)
    for _ in range(200):
        requester_for(user, instrument, False, now, [REQUEST])
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(500):
            requester_for(user, instrument, False, now, [REQUEST])
        runs.append((time.perf_counter() - started) / 500 * 1000)
    return min(runs)


def run(url: str) -> None:
    app = migrated_app(url)
    with app.app_context():
        lab = create_organisation("quota-lab", "配额实验室", "institute")
        user = create_user("quota@example.org", "配额", "quota-pass-1", "researcher", lab)
        manager = create_user("quota-m@example.org", "管理员", "quota-pass-1", "manager", lab)
        instrument = create_instrument(
            manager, {"name": "配额仪器", "category": "other", "rules": RULES}
        )
        print(f"backend: {db.engine.dialect.name}")
        print(f"{'the booker holds':<44}{'ms a read':>10}")
        held = 0
        for in_week in (0, 84, 167):
            _insert(instrument.id, user.id, [WEEK + n * HOUR for n in range(held, in_week)])
            held = in_week
            print(
                f"{f'{in_week} bookings in the week':<44}{_best_read_ms(user, instrument):>10.3f}"
            )
        outside = 0
        for total in (1_000, 100_000):
            # Half before the week, half after it: the look-back (the longest booking, 15 days)
            # is full from the first thousand on, so what follows is history alone.
            half, done = total // 2, outside // 2
            before = [WEEK - (2 * n + 2) * HOUR for n in range(done, half)]
            after = [WEEK + 168 * HOUR + 2 * n * HOUR for n in range(done, half)]
            _insert(instrument.id, user.id, before + after)
            outside = total
            label = f"{held} in the week, +{total} outside it"
            print(f"{label:<44}{_best_read_ms(user, instrument):>10.3f}")
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database_url, folder) as url:
        run(url)


if __name__ == "__main__":
    main()
