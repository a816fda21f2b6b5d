"""Engine and session behaviour: SQLite must serialise writers itself; a request's session
ends cleanly even when the database went away after the answer was made.

PostgreSQL guarantees no double booking with an exclusion constraint. SQLite has none, so every
transaction of a write request (POST, PUT, PATCH, DELETE) starts with BEGIN IMMEDIATE: it takes
the database's write lock before its first read, and a booking's conflict check and insert can
never interleave with another writer's. Reads stay concurrent (WAL journal).

Writers queue for their turn on a lock file beside the database (flock), in every thread and
every process of the server, before BEGIN IMMEDIATE, and leave the queue at commit or rollback.
The kernel wakes the next writer the moment the lock is free. Without the queue, writers that
find the database busy wait in SQLite's busy handler, which sleeps in growing steps (up to
100 ms): with 8 clients, creation fell below its sequential rate while the CPU sat idle.

Who is calling (the bearer token and its user, the signed-in user), and the instrument a
booking is for, are read before the request takes its turn (`before_writer_turn`), in a read of
their own: with eight clients, writers held the turn from the first statement on, and created
at the rate of one locked request. It is what PostgreSQL reads too, at its default isolation:
the rows as committed when the statement began, not locked (its booking read of the instrument
waits for the instrument's lock inside a statement whose snapshot was taken before). What a
decision rests on is read inside the turn: busy time and the booker's suspension in a booking's
reading, `locking.lock_row` for the rest.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import contextmanager
from contextvars import ContextVar

try:
    import fcntl
except ImportError:  # Windows: writers wait in SQLite's busy handler instead
    fcntl = None

from flask import Flask, has_request_context, request
from sqlalchemy import event, text
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


_reading_before_turn: ContextVar[bool] = ContextVar("reading_before_turn", default=False)


@contextmanager
def before_writer_turn():
    """Reads of a write request that come before its turn in the writers' queue (SQLite): they
    run in a transaction of their own, ended without expiring what they loaded, so that the
    request's next statement begins its write transaction. Elsewhere, and once the request's
    transaction has begun, the reads simply run in it."""
    session = db.session()
    if (
        not _is_write_request()
        or session.in_transaction()
        or session.get_bind().dialect.name != "sqlite"
    ):
        yield
        return
    token = _reading_before_turn.set(True)
    try:
        yield
    finally:
        _reading_before_turn.reset(token)
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()  # a read: SQLite has nothing to commit, only the session's state ends
    finally:
        session.expire_on_commit = expire


def _is_write_request() -> bool:
    if _background_writer.get():
        return True
    return has_request_context() and request.method in WRITE_METHODS


PROCESS_QUEUE = "sharing.process_writers"
_process_turn = threading.local()  # the process queue's lock a request's thread holds, if any


def _leave_process_queue() -> None:
    held = getattr(_process_turn, "lock", None)
    if held is not None:
        _process_turn.lock = None
        held.release()


class QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions take their turn in the writers' queue."""

    queue_file = None  # the open lock file, when the database is a file
    holds_turn = False

    def join_writer_queue(self, database_path: str) -> None:
        if fcntl is not None and database_path:
            self.queue_file = open(database_path + ".writers", "a+b")  # noqa: SIM115 - per connection

    def take_writer_turn(self) -> None:
        if self.queue_file is not None and not self.holds_turn:
            fcntl.flock(self.queue_file, fcntl.LOCK_EX)
            self.holds_turn = True

    def end_writer_turn(self) -> None:
        if self.holds_turn:
            fcntl.flock(self.queue_file, fcntl.LOCK_UN)
            self.holds_turn = False
            _leave_process_queue()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_writer_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_writer_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.end_writer_turn()
            if self.queue_file is not None:
                self.queue_file.close()
                self.queue_file = None


PLANNER_SETTINGS = "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
# One statement's setting, for the rest of its transaction: plan it for its own parameters.
_PLAN_FOR_ITS_PARAMETERS = text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")


def engine_options(database_url: str, options: dict) -> dict:
    """The engine options for this database: SQLite connections are QueuedWriterConnections;
    PostgreSQL's planner is told that index pages cost little more than sequential ones.

    A pre-ping would cost every SQLite request a statement for a file that cannot go away.
    PostgreSQL's default random_page_cost (4) assumes spinning disks: with it the planner scans
    the whole catalog rather than read a few thousand rows its trigram indexes point at (100 ms
    against 25 ms at 50,000 instruments). 1.1 is the usual setting for SSDs and cached tables.
    psycopg prepares a statement run five times, and PostgreSQL may then plan it once for any
    parameters: that is what the booking path wants (planning was a third of each of its
    statements' time), not the catalog (`plan_for_its_parameters`). A web request gains
    nothing from parallel workers: starting them costs more than the few thousand rows a catalog
    search reads (21 against 15 ms), and on a busy server they take the cores other requests need.
    """
    if database_url.startswith("postgresql"):
        connect_args = {**options.get("connect_args", {})}
        connect_args["options"] = " ".join(
            filter(None, (connect_args.get("options"), PLANNER_SETTINGS))
        )
        return {**options, "connect_args": connect_args}
    if not database_url.startswith("sqlite"):
        return options
    connect_args = {**options.get("connect_args", {}), "factory": QueuedWriterConnection}
    return {**options, "pool_pre_ping": False, "connect_args": connect_args}


def plan_for_its_parameters() -> None:
    """PostgreSQL plans the rest of this transaction's statements for their own parameters.

    A catalog search planned once for any word would scan for a common one the way it scans
    for a rare one (207 ms against 26 ms at 50,000 instruments); elsewhere a plan made once
    serves every parameter, and saves the planning of each run (0.1-0.5 ms a statement)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_PLAN_FOR_ITS_PARAMETERS)


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
        # In WAL mode a commit survives a crash of the process; only a power cut may lose the
        # last commits, and never corrupts the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        database_path = cursor.execute("PRAGMA database_list").fetchone()[2]
        cursor.close()
        if isinstance(dbapi_connection, QueuedWriterConnection):
            dbapi_connection.join_writer_queue(database_path)

    # Write requests of one process take their turns one after another from their start: the
    # threads of a gthread worker share one interpreter lock, and a writer holding the database
    # interleaved with its neighbours' parsing and token reads (its turn lasted twice its own
    # work, and eight clients created at half the rate the lock allows). The process's turn is
    # left with the database's (commit or rollback: mail sent after a commit waits for no one)
    # or at the end of the request. Reads never queue.
    process_queue = app.extensions[PROCESS_QUEUE] = threading.Lock()

    @app.before_request
    def join_process_queue():
        if request.method in WRITE_METHODS and getattr(_process_turn, "lock", None) is None:
            process_queue.acquire()
            _process_turn.lock = process_queue

    @app.teardown_request
    def leave_process_queue(_error):
        _leave_process_queue()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # Elsewhere pysqlite begins lazily before the first write, as it always does.
        if _is_write_request() and not _reading_before_turn.get():
            dbapi_connection = connection.connection.dbapi_connection
            if isinstance(dbapi_connection, QueuedWriterConnection):
                dbapi_connection.take_writer_turn()
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


def exists_on(dialect_name: str):
    """Alembic's `include_object` for autogenerate: a model object declared for one database
    only (`.ddl_if(dialect=...)`, e.g. PostgreSQL's trigram indexes) is compared there alone."""

    def include_object(obj, _name, _type, _reflected, _compare_to) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, dialect_name)

    return include_object
