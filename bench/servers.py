"""Run the app the way docs/deploy.md says: migrations and demo data by the CLI, then gunicorn.

Used by bench/load.py and by the deployment and fault tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(database_url: str, **extra: str) -> dict:
    """The production environment of one app server."""
    return {
        **os.environ,
        "SHARING_ENV": "production",
        "SECRET_KEY": "bench-secret-key-shared-by-every-server",
        "DATABASE_URL": database_url,
        "NO_SHOW_SWEEP_SECONDS": "0",
        **extra,
    }


def flask_command(database_url: str, *args: str) -> str:
    """Run `flask --app sharing ...` as an operator would; returns its output."""
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "sharing", *args],
        cwd=ROOT,
        env=app_environment(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def prepare_database(database_url: str, seed: bool = True) -> None:
    flask_command(database_url, "db", "upgrade")
    if seed:
        flask_command(database_url, "seed-demo")


def wait_until_healthy(base_url: str, timeout: float = 60, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server at {base_url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} did not become healthy in {timeout} s")


class Server:
    """One gunicorn master and its workers."""

    def __init__(self, process: subprocess.Popen, port: int, log_path: Path):
        self.process, self.port, self.log_path = process, port, log_path
        self.url = f"http://127.0.0.1:{port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def gunicorn(
    database_url: str,
    workers: int = 2,
    log_dir: Path | None = None,
    wsgi_app: str = "wsgi:app",
    port: int | None = None,
    **extra: str,
):
    """`gunicorn -c gunicorn.conf.py wsgi:app` on `port` (or a free one); stopped gracefully
    afterwards."""
    port = port or free_port()
    log_dir = Path(log_dir or ROOT / "instance")
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"gunicorn-{port}.log"
    env = app_environment(
        database_url, SHARING_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers), **extra
    )
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", wsgi_app],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log_path)
    try:
        wait_until_healthy(server.url, process=process)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
