"""Background jobs run inside every app process: no cron entry for anyone to forget.

Each feature names its own jobs (`<feature>/jobs.py`) and `create_app` registers them here, so
this plumbing knows no feature. Every NO_SHOW_SWEEP_SECONDS (default 60; 0 turns them off) each
job runs in its own transaction. Several processes or servers may run them at once: each
booking, offer or reminder is claimed under a row lock that the others wait for and then find
taken (PostgreSQL), or under the database write lock (SQLite), so none is done twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask

from sharing.util.timeutil import utcnow

log = logging.getLogger("sharing.jobs")
STOP_KEY = "background_jobs_stop"
THREAD_KEY = "background_jobs_thread"  # to wait for a round under way after stopping
JOBS_KEY = "background_jobs"


@dataclass(frozen=True)
class Job:
    """One kind of background work: `run(now)` does what is due and says how much it did."""

    name: str
    run: Callable[[datetime], int]
    done: str  # a log line with one %d, written when the round did something


def register_jobs(app: Flask, jobs: Iterable[Job]) -> None:
    """Add a feature's jobs to those this app runs (a name once)."""
    known = app.extensions.setdefault(JOBS_KEY, {})
    for job in jobs:
        known[job.name] = job


def jobs_of(app: Flask) -> list[Job]:
    """The jobs registered on this app, in the order they were registered."""
    return list(app.extensions.get(JOBS_KEY, {}).values())


def run_jobs_once(app: Flask, now: datetime | None = None) -> None:
    """Each job once, in its own transaction; one job's failure leaves the others alone."""
    from sharing.core.dbsetup import background_writer
    from sharing.extensions import db

    for job in jobs_of(app):
        with app.app_context(), background_writer():
            try:
                count = job.run(now or utcnow())
                db.session.commit()
                if count:
                    log.info(job.done, count)
            except Exception:
                db.session.rollback()
                log.exception("background job %s failed; it runs again next round", job.name)
            finally:
                db.session.remove()


def start_background_jobs(app: Flask) -> threading.Thread | None:
    """Start the jobs' thread when NO_SHOW_SWEEP_SECONDS > 0."""
    interval = float(app.config.get("NO_SHOW_SWEEP_SECONDS", 60))
    if interval <= 0:
        return None
    stop = threading.Event()
    app.extensions[STOP_KEY] = stop

    def run() -> None:
        while not stop.wait(interval):
            run_jobs_once(app)

    thread = threading.Thread(target=run, name="background-jobs", daemon=True)
    app.extensions[THREAD_KEY] = thread
    thread.start()
    return thread
