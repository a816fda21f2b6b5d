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
        with sqlite3.connect(tmp_path / "old.sqlite3") as bare:
            bare.execute(
                "INSERT INTO instrument_photos (instrument_id, stored_name, width, height,"
                " created_at) VALUES (1, 'ab12', 10, 8, '2026-01-01 00:00:00')"
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
