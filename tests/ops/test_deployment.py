"""docs/deploy.md, exercised: PostgreSQL, two gunicorn servers behind nginx sharing Redis,
structured logs with request ids, backup and restore, and upgrades with migrations.

Needs SHARING_TEST_POSTGRES (and nginx, Redis for the proxy test); `.ci/run` provides all three
and sets SHARING_REQUIRE_OPS=1, so that nothing here can skip there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from bench.servers import ROOT, flask_command, free_port, gunicorn
from tests.conftest import _postgres_database
from tests.fixtures.billing import ROLLUP_TABLES
from tests.ops.demo_database import seeded_demo_copy
from tests.ops.support import http, need

REDIS_URL = os.environ.get("SHARING_TEST_REDIS", "")


@pytest.fixture(scope="module")
def seeded_database():
    with seeded_demo_copy() as url:
        yield url


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def nginx(tmp_path):
    """Start nginx with deploy/nginx-site.conf, its upstreams and paths pointed at the test's."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    need(Path(binary).exists(), "nginx is not installed (apt-get install nginx-light)")
    started = []

    def start(upstream_ports: list[int]) -> str:
        site = (ROOT / "deploy" / "nginx-site.conf").read_text()
        servers = "".join(
            f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n"
            for port in upstream_ports
        )
        site = re.sub(r"(    server 127\.0\.0\.1:800\d[^\n]*\n)+", servers, site)
        port = free_port()
        site = site.replace("listen 8080;", f"listen 127.0.0.1:{port};")
        site = site.replace("/srv/bluevalley/static/", f"{ROOT}/static/")
        (tmp_path / "site.conf").write_text(site)
        (tmp_path / "nginx.conf").write_text(
            "worker_processes 1;\nerror_log stderr;\npid nginx.pid;\nevents {}\n"
            "http {\n  access_log off;\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n"
            "  include /etc/nginx/mime.types;\n  include site.conf;\n}\n"
        )
        (tmp_path / "tmp").mkdir(exist_ok=True)
        prefix = ["-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
        subprocess.run([binary, *prefix, "-t"], check=True, capture_output=True)
        subprocess.run([binary, *prefix], check=True)
        started.append(prefix)
        return f"http://127.0.0.1:{port}"

    yield start
    for prefix in started:
        subprocess.run([binary, *prefix, "-s", "stop"], check=False)


def _access_lines(log: str) -> list[dict]:
    lines = (json.loads(line) for line in log.splitlines() if line.startswith("{"))
    return [line for line in lines if line.get("logger") == "sharing.access"]


def test_two_servers_behind_nginx_share_database_redis_and_logs(seeded_database, nginx, tmp_path):
    need(bool(REDIS_URL), "SHARING_TEST_REDIS is not set")
    env = {
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"deploy-{uuid.uuid4().hex[:8]}",
        "SHARING_PROXY_HOPS": "1",
    }
    with (
        gunicorn(seeded_database, workers=2, log_dir=tmp_path, **env) as first,
        gunicorn(seeded_database, workers=2, log_dir=tmp_path, **env) as second,
    ):
        proxy = nginx([first.port, second.port])
        host = {"Host": "share.bluevalley.example"}

        # Both servers answer through the proxy; a page and an API list come from one database.
        for _ in range(10):
            status, _headers, _body = http(proxy + "/healthz", host)
            assert status == 200
        status, headers, body = http(proxy + "/api/v1/instruments?per_page=1", host)
        assert status == 200 and json.loads(body)["total"] == 48  # 45 instruments and 3 vessels
        assert len(_access_lines(first.log())) > 1 and len(_access_lines(second.log())) > 1

        # The proxy's request id reaches the app's JSON log line and comes back to the client.
        request_id = headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        logged = [
            line
            for line in _access_lines(first.log()) + _access_lines(second.log())
            if line["request_id"] == request_id
        ]
        assert len(logged) == 1 and logged[0]["path"] == "/api/v1/instruments"
        assert logged[0]["status"] == 200 and logged[0]["level"] == "INFO"

        # Links the app builds name the public host, not the upstream address.
        token_body = json.dumps({"email": "researcher@sdu.example", "password": "BlueValley2026"})
        json_headers = {**host, "Content-Type": "application/json"}
        status, _h, body = http(proxy + "/api/v1/auth/tokens", json_headers, token_body.encode())
        assert status == 201, body
        bearer = {**host, "Authorization": "Bearer " + json.loads(body)["token"]}
        status, _h, body = http(proxy + "/api/v1/me", bearer)
        assert json.loads(body)["calendar_feed_url"].startswith("http://share.bluevalley.example/")

        # Sign-in attempts are counted in Redis across both servers: 10 per minute, not 20.
        wrong = json.dumps({"email": "nobody@example.org", "password": "wrong-1"}).encode()
        codes = [http(proxy + "/api/v1/auth/tokens", json_headers, wrong)[0] for _ in range(11)]
        assert codes == [401] * 9 + [429] * 2  # the successful sign-in above counted too

        # Restarts one server at a time, as section 7 says, while a client keeps reading.
        outcomes: list[int] = []
        reading = threading.Event()
        reading.set()

        def keep_reading():
            while reading.is_set():
                outcomes.append(http(proxy + "/api/v1/instruments?per_page=5", host)[0])

        reader = threading.Thread(target=keep_reading)
        reader.start()
        for server in (first, second):
            old_workers = set(server.worker_pids())
            server.process.send_signal(signal.SIGHUP)  # graceful reload: new workers, old drain
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and (
                set(server.worker_pids()) & old_workers or len(server.worker_pids()) != 2
            ):
                time.sleep(0.2)
            assert not set(server.worker_pids()) & old_workers
        second.process.send_signal(signal.SIGTERM)  # one server down: the proxy uses the other
        second.process.wait(30)
        time.sleep(1)
        reading.clear()
        reader.join(30)
        assert len(outcomes) > 20 and set(outcomes) == {200}, Counter(outcomes)


def test_backup_and_restore(seeded_database, tmp_path):
    backup = tmp_path / "bluevalley.dump"
    subprocess.run([str(ROOT / "scripts/backup.sh"), seeded_database, str(backup)], check=True)
    with _postgres_database() as restored:
        subprocess.run([str(ROOT / "scripts/restore.sh"), restored, str(backup)], check=True)
        assert _row_counts(restored) == _row_counts(seeded_database)
        assert _row_counts(restored)["bookings"] > 0
        with gunicorn(restored, workers=1, log_dir=tmp_path) as server:
            status, _h, body = http(server.url + "/api/v1/instruments?per_page=1")
            assert status == 200 and json.loads(body)["total"] == 48  # 45 instruments and 3 vessels


def test_restore_into_a_used_database_changes_nothing(seeded_database, tmp_path):
    """A restore that fails (here: the tables exist) is one transaction: nothing half-done."""
    backup = tmp_path / "bluevalley.dump"
    subprocess.run([str(ROOT / "scripts/backup.sh"), seeded_database, str(backup)], check=True)
    before = _row_counts(seeded_database)
    result = subprocess.run(
        [str(ROOT / "scripts/restore.sh"), seeded_database, str(backup)], capture_output=True
    )
    assert result.returncode != 0
    assert _row_counts(seeded_database) == before


def test_upgrade_with_migrations_keeps_the_data(tmp_path):
    with seeded_demo_copy() as url:
        flask_command(url, "db", "downgrade", "0007")  # the release before exactly-once
        assert "0007" in flask_command(url, "db", "current")
        before = _row_counts(url)
        flask_command(url, "db", "upgrade")
        assert "(head)" in flask_command(url, "db", "current")
        after = _row_counts(url)
        # Every table keeps its rows; the tables the upgrade adds start empty, but for the
        # result files that 0028 moves from the disk (where its downgrade wrote them) inside,
        # and the daily rollup that 0033 sums from the bookings and charges already there.
        assert {name: after[name] for name in before} == before
        added = after.keys() - before.keys() - {"stored_files"} - ROLLUP_TABLES
        assert all(after[name] == 0 for name in added)
        # Years are kept once over: the days, months, income and mark are filled.
        assert all(after[name] > 0 for name in ROLLUP_TABLES - {"instrument_years"})
        assert after["stored_files"] == before["result_files"]
        with gunicorn(url, workers=1, log_dir=tmp_path) as server:
            body = json.dumps({"email": "researcher@sdu.example", "password": "BlueValley2026"})
            status, _h, _b = http(
                server.url + "/api/v1/auth/tokens",
                {"Content-Type": "application/json"},
                body.encode(),
            )
            assert status == 201
