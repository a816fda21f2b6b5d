"""The migrated and seeded demo on PostgreSQL, made once per test run and copied by each
production test that needs it (deployment, upgrades, load, faults).

Migrating and seeding the demo takes about 30 s of a busy CI machine; four tests each did it
for themselves. The first of the run's processes that asks builds the run's template (under an
advisory lock, so the xdist workers wait for one build rather than racing for two) and every
test gets its own copy of it: `CREATE DATABASE ... TEMPLATE`, a second or two. The run's
controller drops the template at the end (tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
from contextlib import ExitStack, contextmanager

import psycopg

from bench.servers import prepare_database
from tests.conftest import POSTGRES_ADMIN_URL, RUN_VARIABLE, _postgres_database, _postgres_url
from tests.ops.pgserver import postgres_bin
from tests.ops.support import need


def template_name() -> str:
    return f"sharing_demo_{os.environ[RUN_VARIABLE]}"


@contextmanager
def _template_held():
    """The run's template's name, built, while an admin connection holds its lock: copies are
    made under the lock, since a copy fails while another session reads the template."""
    need(bool(POSTGRES_ADMIN_URL), "SHARING_TEST_POSTGRES is not set")
    template = template_name()
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", (template,))
        try:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (template,)
            ).fetchone()
            if not exists:
                # Built under another name and renamed once whole: a build that dies half-way
                # leaves no template that looks ready.
                building = f"{template}_building"
                admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{building}"')
                prepare_database(_postgres_url(building))
                admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            yield template
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", (template,))


@contextmanager
def seeded_demo_copy():
    """A database of its own holding the seeded demo at the head migration; dropped after."""
    with ExitStack() as stack:
        with _template_held() as template:
            url = stack.enter_context(_postgres_database(template))
        yield url


def restore_seeded_demo(database_url: str) -> None:
    """The seeded demo into a database of another server (the fault tests' own)."""
    with _template_held() as template:
        dump = subprocess.run(
            [postgres_bin("pg_dump") or "pg_dump", "--format=custom", _postgres_url(template)],
            check=True,
            capture_output=True,
        ).stdout
    subprocess.run(
        [postgres_bin("pg_restore") or "pg_restore", "--no-owner", "-d", database_url],
        input=dump,
        check=True,
        capture_output=True,
    )


def drop_template() -> None:
    """The run's template, at the end of the run (nothing of the run reads it any more)."""
    if not (POSTGRES_ADMIN_URL and os.environ.get(RUN_VARIABLE)):
        return
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        for name in (template_name(), f"{template_name()}_building"):
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
