"""Request ids, one structured log line per request, and trusting a reverse proxy's headers."""

import json
import logging

import pytest

from sharing import create_app
from sharing.core.logs import RequestIdFilter, make_handler
from tests.conftest import base_config


def test_every_answer_carries_a_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_and_garbage_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "nginx-1a2b3c4d"})
    assert kept.headers["X-Request-ID"] == "nginx-1a2b3c4d"
    for bad in ("x", "spaces and <tags>", "a" * 65):
        replaced = client.get("/healthz", headers={"X-Request-ID": bad})
        assert (
            replaced.headers["X-Request-ID"] != bad and len(replaced.headers["X-Request-ID"]) == 32
        )


def test_each_request_is_logged_once_with_its_id_and_outcome(client, caplog):
    caplog.set_level(logging.INFO, logger="sharing.access")
    response = client.get("/api/v1/instruments/999999")
    records = [r for r in caplog.records if r.name == "sharing.access"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/api/v1/instruments/999999", 404)
    assert record.request_id == response.headers["X-Request-ID"]
    assert record.duration_ms >= 0


def test_json_lines_hold_the_fields_a_collector_needs(app):
    handler = make_handler("json")
    record = logging.LogRecord("sharing.access", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.status = 200
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "abc123def456"
        RequestIdFilter().filter(record)
    line = json.loads(handler.format(record))
    assert line["level"] == "INFO" and line["logger"] == "sharing.access"
    assert line["request_id"] == "abc123def456" and line["status"] == 200
    assert line["message"] == "GET / 200" and "time" in line


def test_rate_limits_count_the_client_behind_the_proxy(database_url):
    """Behind one trusted proxy the client address comes from X-Forwarded-For."""
    app = create_app(base_config(database_url, PROXY_HOPS=1))

    @app.get("/whoami")
    def whoami():
        from flask import request, url_for

        return {"addr": request.remote_addr, "url": url_for("main.home", _external=True)}

    answer = (
        app.test_client()
        .get(
            "/whoami",
            headers={
                "X-Forwarded-For": "203.0.113.9",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "share.bluevalley.cn",
            },
        )
        .json
    )
    assert answer == {"addr": "203.0.113.9", "url": "https://share.bluevalley.cn/"}


@pytest.mark.parametrize("hops", [0])
def test_without_a_proxy_forwarded_headers_are_ignored(database_url, hops):
    """Otherwise any client could pick its own address and dodge the limits."""
    app = create_app(base_config(database_url, PROXY_HOPS=hops))

    @app.get("/whoami")
    def whoami():
        from flask import request

        return {"addr": request.remote_addr}

    answer = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"}).json
    assert answer == {"addr": "127.0.0.1"}
