"""With REDIS_URL set, every worker and server counts against the same limits (real Redis).

Runs where SHARING_TEST_REDIS names a Redis server (`.ci/run` sets it; it must be reachable then).
"""

import os
import uuid

import pytest
import redis

from sharing import create_app
from sharing.config import Settings, build_flask_config
from tests.conftest import base_config

REDIS_URL = os.environ.get("SHARING_TEST_REDIS", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="SHARING_TEST_REDIS is not set")


def test_redis_url_selects_redis_storage():
    config, _ = build_flask_config(Settings(redis_url="redis://cache:6379/2"), "/tmp")
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"
    assert build_flask_config(Settings(), "/tmp")[0]["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.fixture
def address():
    """A client address of this test alone: the limit keys in Redis carry it."""
    octets = uuid.uuid4().bytes[:3]
    address = "10." + ".".join(str(octet) for octet in octets)
    yield address
    connection = redis.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{address}*"):
        connection.delete(key)


@pytest.fixture
def workers(app, database_url, address):
    """Two app instances, as two gunicorn workers or two servers, on one Redis."""
    config = base_config(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL)
    clients = []
    for worker in (create_app(config), create_app(config)):
        client = worker.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        clients.append(client)
    return clients


def test_workers_share_the_sign_in_limit(workers, make, address):
    user = make.user()
    first, second = workers
    data = {"email": user.email, "password": "wrong-guess-1"}
    codes = [(first if n % 2 else second).post("/login", data=data).status_code for n in range(10)]
    assert codes == [400] * 10
    assert first.post("/login", data=data).status_code == 429
    assert second.post("/login", data=data).status_code == 429
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{address}*auth.login*")
    assert keys, "the counts live in Redis"


def test_workers_share_the_token_limit(workers):
    first, second = workers
    body = {"email": "nobody@example.org", "password": "x"}
    clients = (first, second)
    codes = [clients[n % 2].post("/api/v1/auth/tokens", json=body).status_code for n in range(11)]
    assert codes == [401] * 10 + [429]
