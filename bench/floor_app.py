"""The app exactly as wsgi.py serves it, plus the floor that bench/http.py measures against.

The floor is the least an authenticated write can cost in this app: the same request hooks
(request guard, session boundary, commit point, request log), a bearer-token lookup and one
inserted row. Kept out of the package: production never serves it.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from bench.common import FLOOR_TABLE
from sharing.core.session import require_actor
from sharing.extensions import csrf, db
from wsgi import app

floor = Blueprint("bench_floor", __name__)


@floor.post("/api/v1/bench-floor")
def insert_one_row():
    actor = require_actor()
    db.session.execute(
        text(f"INSERT INTO {FLOOR_TABLE} (user_id, created_at) VALUES (:user, CURRENT_TIMESTAMP)"),
        {"user": actor.id},
    )
    return jsonify({"inserted": True}), 201


csrf.exempt(floor)
app.register_blueprint(floor)
