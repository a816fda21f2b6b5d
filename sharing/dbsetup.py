"""Engine and session behaviour: SQLite must serialise writers itself; a request's session
ends cleanly even when the database went away after the answer was made.

PostgreSQL guarantees no double booking with an exclusion constraint. SQLite has none, so every
transaction of a write request (POST, PUT, PATCH, DELETE) starts with BEGIN IMMEDIATE: it takes
the database's write lock before its first read, and a booking's conflict check and insert can
never interleave with another writer's. Reads stay concurrent (WAL journal).
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError

from sharing.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BUSY_TIMEOUT_MS = 30_000
log = logging.getLogger("sharing.db")


_background_writer: ContextVar[bool] = ContextVar("background_writer", default=False)


@contextmanager
def background_writer():
    """Work outside a request that reads in order to write (the sweep): it takes SQLite's write
    lock before its first read, as a write request does, so what it read cannot change."""
    token = _background_writer.set(True)
    try:
        yield
    finally:
        _background_writer.reset(token)


def _is_write_request() -> bool:
    if _background_writer.get():
        return True
    return has_request_context() and request.method in WRITE_METHODS


def configure_engine(app: Flask) -> None:
    """Install the SQLite connection and transaction hooks (nothing to do for PostgreSQL)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # Elsewhere pysqlite begins lazily before the first write, as it always does.
        if _is_write_request():
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def end_sessions_safely(app: Flask) -> None:
    """Close each request's session without letting a lost connection escape the request.

    The session's closing rollback is the request's last round trip, after its answer was made
    (and its writes committed). If the server is gone by then, SQLAlchemy raises from the
    teardown, outside every error handler: the WSGI server would answer a bare 500 in place
    of the answer already made. Registered after Flask-SQLAlchemy's own teardown, so it runs
    first (Flask runs teardowns in reverse order), and leaves that one nothing to do.
    """

    @app.teardown_appcontext
    def remove_session(_error: BaseException | None) -> None:
        try:
            db.session.remove()
        except DBAPIError as error:
            log.warning("connection lost while ending the session: %s", str(error).splitlines()[0])
            # No round trip this time: the connection is dropped, the pool replaces it.
            db.session().invalidate()
            db.session.remove()
