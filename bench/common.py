"""Helpers shared by the benchmark scripts: scratch databases and percentiles."""

from __future__ import annotations

import math
import uuid
from contextlib import contextmanager
from datetime import datetime

import psycopg

# The table of bench/floor_app.py's one inserted row; here, so that bench/http.py can make it
# without importing the app (which would start its background jobs in the benchmark's process).
FLOOR_TABLE = "bench_floor"


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@contextmanager
def fresh_database(admin_url: str | None, folder: str, prefix: str = "sharing_bench"):
    """A scratch database: SQLite in `folder`, or a new PostgreSQL database dropped afterwards."""
    if not admin_url:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def booking_row(
    instrument_id: int,
    user_id: int,
    start: datetime,
    end: datetime,
    created_at: datetime,
    status: str = "approved",
    **fields,
) -> dict:
    """The column values of one booking written straight to the table (a benchmark's history:
    the services would take minutes for a hundred thousand)."""
    return {
        "instrument_id": instrument_id,
        "user_id": user_id,
        "created_by_id": user_id,
        "start": start,
        "end": end,
        "blocked_until": end,
        "status": status,
        "purpose": "",
        "on_behalf": False,
        "sequence": 0,
        "created_at": created_at,
        "updated_at": created_at,
        **fields,
    }


def insert_bookings(rows: list[dict]) -> None:
    """Insert booking rows in chunks of 5,000 (one statement's parameters stay bounded)."""
    from sqlalchemy import insert

    from sharing.bookings.models import Booking
    from sharing.extensions import db

    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(Booking), rows[chunk : chunk + 5000])


def commit_and_analyze() -> None:
    """Commit, then gather planner statistics, as autovacuum would after such a load."""
    from sqlalchemy import text

    from sharing.extensions import db

    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def migrated_app(url: str):
    """The app on `url` with the schema its migrations build, no rate limits and no background
    sweep (they would count or run beside what is measured)."""
    from flask_migrate import upgrade

    from sharing import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "NO_SHOW_SWEEP_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
    return app
