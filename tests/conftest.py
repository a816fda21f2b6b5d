"""Fixtures: the same suite runs on SQLite and, when switched on, on a real PostgreSQL server.

Set SHARING_TEST_POSTGRES to an admin URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to add
the PostgreSQL backend; a private database is created for the session, built by the migrations,
and dropped at the end. If the variable is set and the server cannot be reached the run fails:
the PostgreSQL tests never skip silently.
"""

from __future__ import annotations

import json
import os
import uuid
from contextlib import ExitStack, contextmanager

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from sharing import create_app
from sharing.api.base import API_ANSWERS
from sharing.core.jobs import STOP_KEY, THREAD_KEY, stop_courier
from sharing.extensions import db, limiter
from sharing.feeds.http import feed_cache
from sharing.needs.matching import forget_indexes
from tests.factories import Factory

# Domain fixtures shared by the API, page and mail tests.
pytest_plugins = [
    "tests.fixtures.agents",
    "tests.fixtures.billing",
    "tests.fixtures.concurrency",
    "tests.fixtures.idp",
    "tests.fixtures.orders",
]

POSTGRES_ADMIN_URL = os.environ.get("SHARING_TEST_POSTGRES", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_ADMIN_URL else [])
KEPT_TABLES = {"categories", "alembic_version"}
TEST_HASH_METHOD = "pbkdf2:sha256:1000"
RUN_VARIABLE = "SHARING_TEST_RUN"


def base_config(database_url: str, **overrides) -> dict:
    """The configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "NO_SHOW_SWEEP_SECONDS": 0,
        # Production's scrypt costs 0.15 s a hash or check, thousands of times in the suite.
        "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        **overrides,
    }


def _postgres_url(database: str) -> str:
    base, _, _old = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


@contextmanager
def _postgres_database(template: str | None = None):
    """A database of its own, empty or a copy of `template`; dropped afterwards."""
    name = f"sharing_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.exit(f"SHARING_TEST_POSTGRES is set but PostgreSQL is unreachable: {exc}", 3)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        # A test database is thrown away: its commits need not wait for the disk (each commit's
        # fsync was most of a short PostgreSQL test). The crash tests run a server of their own.
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield _postgres_url(name)
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The longest files, started first: the workers take whole files in the order collected, and a
# long file taken last keeps one worker busy while the other waits (minutes of CI).
LONGEST_FIRST = (
    "tests/ops/",
    "tests/api/test_fuzz_openapi.py",
    "tests/browser/test_accessibility.py",
    "tests/api/test_hostile_inputs.py",
    "tests/api/test_concurrency_table.py",
    "tests/cli/",
    "tests/web/test_start_pages.py",
    "tests/api/test_authorisation_table.py",
    "tests/browser/",
)


def _longest_first(item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return next(
        (rank for rank, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)),
        len(LONGEST_FIRST),
    )


def pytest_terminal_summary(terminalreporter):
    """Figures that tests measure (`record_property("report", ...)`), at the end of the run:
    the workers' reports carry them back to the summary."""
    lines = [
        value
        for report in terminalreporter.getreports("passed")
        for name, value in getattr(report, "user_properties", ())
        if name == "report"
    ]
    if lines:
        terminalreporter.write_sep("-", "measured")
        for line in sorted(set(lines)):
            terminalreporter.write_line(line)


def _runs_elsewhere(item) -> bool:
    backend = getattr(item, "callspec", None) and item.callspec.params.get("database_url")
    if backend is None:
        return False
    if backend == "sqlite" and "postgresql" in BACKENDS and item.get_closest_marker("one_backend"):
        return True
    return bool(
        item.get_closest_marker("postgresql_only" if backend == "sqlite" else "sqlite_only")
    )


def pytest_collection_modifyitems(config, items):
    """A `postgresql_only` test runs on PostgreSQL alone, a `sqlite_only` one on SQLite alone,
    and a `one_backend` one on PostgreSQL when it is switched on, else on SQLite: the other run
    is not collected, so neither a skip nor a pass stands where nothing was tested. The longest
    files go first."""
    items.sort(key=_longest_first)
    elsewhere = [item for item in items if _runs_elsewhere(item)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if item not in elsewhere]


# The migrated database of each backend, made once per worker. A session fixture with params
# is torn down whenever the next test takes the other param; the workers take whole files, each
# with its SQLite tests then its PostgreSQL ones, so the fixture alone would create and migrate
# both databases again for every file (two migrations of 2-9 s per file and worker).
_DATABASES: dict[str, str] = {}
_DROPPED_AT_END = ExitStack()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database of each backend, migrated from empty once per session (and worker)."""
    backend = request.param
    if backend not in _DATABASES:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("db") / "sharing.sqlite3"
            url = f"sqlite:///{path}"
        else:
            url = _DROPPED_AT_END.enter_context(_postgres_database())
        _migrate(url)
        _DATABASES[backend] = url
    return _DATABASES[backend]


def pytest_configure(config):
    # One name for the run, shared by its workers (they inherit the environment): the seeded
    # demo the production tests copy is made once per run (tests/ops/demo_database.py).
    os.environ.setdefault(RUN_VARIABLE, uuid.uuid4().hex[:10])


def pytest_sessionfinish(session):
    _DROPPED_AT_END.close()
    if not hasattr(session.config, "workerinput"):  # the run's controller, once all are done
        from tests.ops.demo_database import drop_template

        drop_template()


def _migrate(url: str) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    if db.engine.dialect.name == "postgresql":
        _empty_postgres_tables([t.name for t in tables])
    else:
        # Challenges and applications point at each other: check keys once, at the commit.
        db.session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


# The sequences of the emptied tables that have handed out a number, back to their start (as
# TRUNCATE's RESTART IDENTITY did): ids begin at 1 in every test.
_RESTART_SEQUENCES = text(
    """
    SELECT setval(format('%I.%I', s.schemaname, s.sequencename), s.start_value, false)
    FROM pg_sequences s
    JOIN pg_class seq ON seq.relname = s.sequencename
        AND seq.relnamespace = s.schemaname::regnamespace
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = seq.oid
        AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    WHERE s.last_value IS NOT NULL AND t.relname = ANY(:tables)
    """
)


def _empty_postgres_tables(names: list[str]) -> None:
    """DELETE from the tables that have rows, not TRUNCATE of all: TRUNCATE makes new files for
    every table and index and syncs them at the commit, 0.3-0.7 s after every test (most of a
    PostgreSQL test's time); a test leaves rows in a few tables."""
    probe = " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT FROM \"{name}\")" for name in names
    )
    filled = set(db.session.execute(text(probe)).scalars())
    if filled:
        # Foreign keys are triggers: off for this transaction, so that the order of the
        # deletes does not matter (challenges and applications point at each other); every
        # row goes, so none is left pointing at nothing.
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        for name in names:
            if name in filled:
                db.session.execute(text(f'DELETE FROM "{name}"'))
    db.session.execute(_RESTART_SEQUENCES, {"tables": names})


@pytest.fixture
def app_config():
    """Per-test configuration overrides; a test module can override this fixture."""
    return {}


# Apps already built, by configuration: building one (blueprints, the OpenAPI document) costs
# 0.1-0.4 s, twice a test, thousands of tests. Only apps without their own state are kept: none
# whose background jobs run, none whose rate limits count.
_APPS: dict[str, tuple] = {}


def _apps_for(config: dict, fresh: bool) -> tuple:
    """(application, data twin, their configurations as built) for this configuration; `fresh`
    builds new ones for a test that adds routes (an app that served a request takes none)."""
    key = json.dumps(config, sort_keys=True, default=str)
    if key in _APPS and not fresh:
        return _APPS[key]
    application, data_twin = create_app(config), create_app(config)
    built = (application, data_twin, dict(application.config), dict(data_twin.config))
    keeps_state = STOP_KEY in application.extensions or application.config["RATELIMIT_ENABLED"]
    if not (keeps_state or fresh):
        _APPS[key] = built
    return built


@pytest.fixture
def app(request, database_url, app_config):
    """An app on the session's database, emptied after the test (its configuration as built).

    The test's own database work runs in the context of a twin app on the same database, so
    every request of the test client pushes a fresh app context, exactly as in production
    (a reused context would carry `g` and Flask-Babel's cached locale from request to request).
    """
    application, data_twin, as_built, twin_as_built = _apps_for(
        base_config(database_url, **app_config), bool(request.node.get_closest_marker("fresh_app"))
    )
    # Flask-Limiter keeps "enabled" on its one global object, set by the newest app's
    # init_app: a kept app (limits off) served after a rate-limit test's app would be limited.
    limiter.enabled = as_built["RATELIMIT_ENABLED"]
    with data_twin.app_context():
        yield application
        for started in (application, data_twin):
            # The outbox's courier ends its round before the tables are emptied.
            stop_courier(started)
            if STOP_KEY in started.extensions:
                started.extensions[STOP_KEY].set()
                # A round already under way ends before the tables are emptied: its locks and
                # TRUNCATE's would otherwise deadlock.
                started.extensions[THREAD_KEY].join(timeout=60)
        db.session.rollback()
        _empty_tables()
        forget_indexes()
        # Versions start again in an emptied database: an ETag may recur with other contents.
        API_ANSWERS.clear()
        feed_cache.clear()
        db.session.remove()
        db.engine.dispose()
    with application.app_context():
        db.engine.dispose()
    # What a test changed in a kept app's configuration goes back to how it was built.
    for started, built in ((application, as_built), (data_twin, twin_as_built)):
        started.config.clear()
        started.config.update(built)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app) -> Factory:
    """Factory functions for organisations, users and instruments."""
    return Factory()


@pytest.fixture
def login(client):
    """Sign a user in through the real login form."""

    def sign_in(user, password: str = Factory.PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data
        return response

    return sign_in


@pytest.fixture
def token_for(client):
    """A bearer header for a user, obtained through POST /api/v1/auth/tokens."""

    def issue(user, password: str = Factory.PASSWORD) -> dict:
        response = client.post(
            "/api/v1/auth/tokens", json={"email": user.email, "password": password}
        )
        assert response.status_code == 201, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}

    return issue


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block, by any engine of the process: the test
    client's app has its own engine, not the one of the twin app the test's code runs in."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def smtp():
    """A real SMTP server on loopback: (port, inbox)."""
    from tests.mailbox import smtp_server

    with smtp_server() as (port, inbox):
        yield port, inbox


@pytest.fixture
def mail_app_config(smtp):
    """App configuration that sends mail to the `smtp` server; use as a module's app_config."""
    from tests.mailbox import mail_config

    return mail_config(smtp[0])
