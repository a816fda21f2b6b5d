"""Uploaded files (result files, instrument photos) behind one interface, kept in the database
by default (`stored_files`) so that every app server serves every file; FILE_STORAGE=folder
keeps them in the instance folder instead (one server only, as before).

Files are written in the transaction of the record that names them: a refused upload leaves no
orphan, a deleted record takes its file with it. Keys are `<kind>/<random name>`; callers check
who may read a file before asking for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Response, current_app
from sqlalchemy import Integer, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from sharing.core.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.util.timeutil import utcnow

CHUNK = 256 * 1024


class StoredFile(db.Model):
    """The bytes of one uploaded file, by key."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    # Loaded only when served: listing files reads no bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class FileData:
    key: str
    content_type: str
    size: int
    data: bytes


def _folder_path(key: str) -> Path:
    kind, _, name = key.partition("/")
    if not kind or not name or "/" in name or name.startswith("."):
        raise ValueError(f"not a storage key: {key!r}")
    folder = Path(current_app.instance_path) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _in_database() -> bool:
    return current_app.config.get("FILE_STORAGE", "database") != "folder"


def save(key: str, data: bytes, content_type: str) -> None:
    """Keep `data` under `key`, in the caller's transaction (database storage)."""
    if _in_database():
        db.session.add(StoredFile(key=key, content_type=content_type, size=len(data), data=data))
        db.session.flush()
    else:
        _folder_path(key).write_bytes(data)


def load(key: str) -> FileData | None:
    """The file under `key`, or None."""
    if _in_database():
        row = db.session.execute(
            select(StoredFile.content_type, StoredFile.size, StoredFile.data).where(
                StoredFile.key == key
            )
        ).first()
        return None if row is None else FileData(key, row.content_type, row.size, row.data)
    path = _folder_path(key)
    if not path.exists():
        return None
    data = path.read_bytes()
    return FileData(key, "application/octet-stream", len(data), data)


def remove(key: str) -> None:
    if _in_database():
        db.session.execute(delete(StoredFile).where(StoredFile.key == key))
    else:
        _folder_path(key).unlink(missing_ok=True)


def exists(key: str) -> bool:
    if _in_database():
        return db.session.scalar(select(StoredFile.key).where(StoredFile.key == key)) is not None
    return _folder_path(key).exists()


def answer(
    found: FileData,
    mimetype: str,
    download_name: str | None = None,
    max_age: int = 0,
    private: bool = True,
) -> Response:
    """The file as an HTTP answer, streamed in chunks, with its type, length and caching."""
    data = found.data

    def chunks():
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]

    response = Response(chunks(), mimetype=mimetype, direct_passthrough=True)
    response.content_length = found.size
    if download_name is not None:
        response.headers.set("Content-Disposition", "attachment", filename=download_name)
    if max_age:
        response.cache_control.public = not private
        response.cache_control.private = private or None
        response.cache_control.max_age = max_age
    else:
        response.cache_control.no_store = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
