"""The app exactly as wsgi.py serves it, plus the floor that bench/http.py measures against.

The floor is the least an authenticated write can cost on this server, database and driver:
one bearer-token lookup and one inserted row, committed, with none of the app's own work (no
request hooks, no session, no ORM): a bare WSGI route in front of the app, on the app's own
engine and connection pool. Kept out of the package: production never serves it.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import text

from bench.common import FLOOR_TABLE
from sharing.extensions import db
from wsgi import app as sharing_app

FLOOR_PATH = "/api/v1/bench-floor"
LOOKUP = text("SELECT user_id FROM api_tokens WHERE token_hash = :hash AND revoked_at IS NULL")
INSERT = text(f"INSERT INTO {FLOOR_TABLE} (user_id, created_at) VALUES (:user, CURRENT_TIMESTAMP)")

with sharing_app.app_context():
    engine = db.engine


def _answer(start_response, status: str, body: dict) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def floor(environ, start_response):
    """POST /api/v1/bench-floor: the token's user, then one row."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
    digest = hashlib.sha256(token.encode()).hexdigest()
    with engine.begin() as connection:
        user = connection.execute(LOOKUP, {"hash": digest}).scalar()
        if user is None:
            return _answer(start_response, "401 UNAUTHORIZED", {"error": "unauthorized"})
        connection.execute(INSERT, {"user": user})
    return _answer(start_response, "201 CREATED", {"inserted": True})


def app(environ, start_response):
    if environ.get("PATH_INFO") == FLOOR_PATH and environ.get("REQUEST_METHOD") == "POST":
        return floor(environ, start_response)
    return sharing_app(environ, start_response)
