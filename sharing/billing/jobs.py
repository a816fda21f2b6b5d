"""The no-show sweep runs inside every app process: no cron entry for anyone to forget.

Several processes or servers may run it at once: each booking is claimed under a row lock that
the others skip (PostgreSQL), or under the database write lock (SQLite), so none is charged twice.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger("sharing.jobs")


def start_no_show_sweeper(app: Flask) -> threading.Thread | None:
    """Start the background sweep when NO_SHOW_SWEEP_SECONDS > 0 (default 60; 0 turns it off)."""
    interval = float(app.config.get("NO_SHOW_SWEEP_SECONDS", 60))
    if interval <= 0:
        return None
    stop = threading.Event()
    app.extensions["no_show_sweeper_stop"] = stop

    def run() -> None:
        from sharing.billing.services import sweep_no_shows
        from sharing.dbsetup import background_writer
        from sharing.extensions import db

        while not stop.wait(interval):
            with app.app_context(), background_writer():
                try:
                    marked = sweep_no_shows()
                    db.session.commit()
                    if marked:
                        log.info("marked %d booking(s) as no-show", marked)
                except Exception:
                    db.session.rollback()
                    log.exception("no-show sweep failed; retrying in %s s", interval)
                finally:
                    db.session.remove()

    thread = threading.Thread(target=run, name="no-show-sweeper", daemon=True)
    thread.start()
    return thread
