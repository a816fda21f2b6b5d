"""Migration 0028 moves the uploads found on this server's disk into the database, and its
downgrade writes them back out."""

from __future__ import annotations

import sqlite3

from flask_migrate import downgrade, upgrade

from sharing import create_app
from sharing.extensions import db
from tests.conftest import base_config


def test_files_on_disk_move_in_and_back_out(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app(base_config(url, JOBS_IN_WEB=False))
    app.instance_path = str(tmp_path / "instance")
    photos = tmp_path / "instance" / "photos"
    photos.mkdir(parents=True)
    (photos / "ab12.jpg").write_bytes(b"\xff\xd8\xff photo")
    (photos / "ab12-thumb.jpg").write_bytes(b"\xff\xd8\xff thumb")
    with app.app_context():
        upgrade(revision="0027")
        db.engine.dispose()
        # A record of the time before: keys are not checked by this bare connection.
        # The photo belongs to a real instrument, as it would on a server: the migration's
        # foreign key check at the end must find nothing broken.
        with sqlite3.connect(tmp_path / "old.sqlite3") as bare:
            organisation = _insert(bare, "organisations", slug="lab", kind="university")
            category = _insert(bare, "categories", slug="optics", position=1)
            instrument = _insert(
                bare,
                "instruments",
                organisation_id=organisation,
                category_id=category,
                status="available",
            )
            _insert(
                bare,
                "instrument_photos",
                instrument_id=instrument,
                stored_name="ab12",
                width=10,
                height=8,
            )
        upgrade(revision="0028")
        stored = dict(db.session.execute(db.text("SELECT key, data FROM stored_files")).all())
        assert stored == {
            "photos/ab12.jpg": b"\xff\xd8\xff photo",
            "photos/ab12-thumb.jpg": b"\xff\xd8\xff thumb",
        }
        db.session.remove()
        (photos / "ab12.jpg").unlink()  # removed after the upgrade, as docs/deploy.md allows
        downgrade(revision="0027")
        assert (photos / "ab12.jpg").read_bytes() == b"\xff\xd8\xff photo"
        db.engine.dispose()


def _insert(bare: sqlite3.Connection, table: str, **values) -> int:
    """A row with the given values and a placeholder in every other required column."""
    for _, name, kind, not_null, default, primary in bare.execute(f"PRAGMA table_info({table})"):
        if name in values or not not_null or default is not None or primary:
            continue
        kind = kind.upper()
        if kind.startswith("BOOL"):
            values[name] = 0
        elif kind.startswith(("INT", "BIGINT")):
            values[name] = 1  # within every range the checks ask (durations above zero)
        elif kind.startswith("DATETIME"):
            values[name] = "2026-01-01 00:00:00"
        else:
            values[name] = name
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    cursor = bare.execute(insert, list(values.values()))
    return cursor.lastrowid
