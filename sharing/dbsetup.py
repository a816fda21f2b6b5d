"""Engine behaviour per database: SQLite must serialise writers itself.

PostgreSQL guarantees no double booking with an exclusion constraint. SQLite has none, so every
transaction of a write request (POST, PUT, PATCH, DELETE) starts with BEGIN IMMEDIATE: it takes
the database's write lock before its first read, and a booking's conflict check and insert can
never interleave with another writer's. Reads stay concurrent (WAL journal).
"""

from __future__ import annotations

import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import event

from sharing.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BUSY_TIMEOUT_MS = 30_000


def _is_write_request() -> bool:
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
