"""Result files of testing orders: checked by size and content, stored outside the web root,
given to the customer's organisation and the lab only."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sharing.auth.models import User
from sharing.core import storage
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.extensions import db
from sharing.orders.access import can_download_results, is_lab
from sharing.orders.lifecycle import (
    OrderStatus,
)
from sharing.orders.models import Order, ResultFile

MAX_RESULT_BYTES = 20 * 1024 * 1024


# Allowed result types: extension -> the bytes such a file starts with (None: plain text).
RESULT_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".zip": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".csv": None,
    ".txt": None,
}


def result_key(stored_name: str) -> str:
    """Where a result's bytes are kept (sharing.core.storage), never under static/."""
    return f"results/{stored_name}"


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def add_result(actor: User, order: Order, upload: Upload) -> ResultFile:
    """Store a result file after checking its size and that its content matches its type."""
    if not is_lab(actor, order):
        raise Forbidden("Only the lab uploads results.")
    if order.status not in (OrderStatus.RECEIVED, OrderStatus.IN_ANALYSIS, OrderStatus.DELIVERED):
        raise Conflict(
            "Results belong to orders whose samples have arrived.",
            code="invalid_state",
            status=order.status.value,
        )
    name = Path(upload.filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in RESULT_TYPES:
        raise BadRequest(
            "Files of type %(suffix)s are not accepted.",
            {"suffix": suffix or "(none)"},
            fields={"file": ["type refused"]},
        )
    if len(upload.data) > MAX_RESULT_BYTES:
        raise BadRequest("The file is larger than 20 MB.", fields={"file": ["too large"]})
    if not upload.data:
        raise BadRequest("The file is empty.", fields={"file": ["empty"]})
    signatures = RESULT_TYPES[suffix]
    if signatures is None:
        try:
            upload.data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(
                "A text result must be UTF-8 text.", fields={"file": ["not text"]}
            ) from None
    elif not upload.data.startswith(signatures):
        raise BadRequest(
            "The content is not a %(suffix)s file.",
            {"suffix": suffix},
            fields={"file": ["content does not match type"]},
        )
    stored_name = secrets.token_hex(16)
    content_type = upload.content_type or "application/octet-stream"
    storage.save(result_key(stored_name), upload.data, content_type)
    result = ResultFile(
        order_id=order.id,
        filename=name[:200],
        stored_name=stored_name,
        size=len(upload.data),
        content_type=content_type,
        uploaded_by_id=actor.id,
    )
    db.session.add(result)
    db.session.flush()
    return result


def get_result(actor: User, order: Order, file_id: int) -> tuple[ResultFile, storage.FileData]:
    """A result file for the customer's organisation or the lab's own managers (api.md): not
    for platform admins, who see the order but not the customer's confidential results."""
    result = db.session.get(ResultFile, file_id)
    if result is None or result.order_id != order.id or not can_download_results(actor, order):
        raise NotFound("No such result file.")
    found = storage.load(result_key(result.stored_name))
    if found is None:
        raise NotFound("No such result file.")
    return result, found
