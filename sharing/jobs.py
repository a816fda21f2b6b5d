"""Background jobs run inside every app process: no cron entry for anyone to forget.

Every NO_SHOW_SWEEP_SECONDS (default 60; 0 turns them off) each job runs in its own
transaction: the no-show sweep, lapsed waiting-list offers passed on, and the reminders.
Several processes or servers may run them at once: each booking, offer or reminder is claimed
under a row lock that the others wait for and then find taken (PostgreSQL), or under the
database write lock (SQLite), so none is charged, offered or sent twice.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger("sharing.jobs")
STOP_KEY = "background_jobs_stop"
THREAD_KEY = "background_jobs_thread"  # to wait for a round under way after stopping


def _jobs():
    from sharing.billing.services import sweep_no_shows
    from sharing.bookings.services import sweep_offers
    from sharing.reminders import send_reminders

    return (
        ("marked %d booking(s) as no-show", sweep_no_shows),
        ("made %d waiting-list offer(s)", sweep_offers),
        ("sent %d reminder(s)", send_reminders),
    )


def run_jobs_once(app: Flask) -> None:
    """Each job once, in its own transaction; one job's failure leaves the others alone."""
    from sharing.dbsetup import background_writer
    from sharing.extensions import db

    for done, job in _jobs():
        with app.app_context(), background_writer():
            try:
                count = job()
                db.session.commit()
                if count:
                    log.info(done, count)
            except Exception:
                db.session.rollback()
                log.exception("background job %s failed; it runs again next round", job.__name__)
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
