"""Instrument photos: checked by their content (JPEG, PNG or WebP, at most 10 MB), re-encoded so
that no EXIF (camera, place, time) leaves the lab, with a thumbnail; stored outside the web root
and served by name."""

from __future__ import annotations

import io
import re
import secrets

from PIL import Image, ImageOps, UnidentifiedImageError

from sharing.auth.models import User
from sharing.core import storage
from sharing.core.errors import BadRequest, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.attached import InstrumentPhoto
from sharing.instruments.models import Instrument

MAX_PHOTO_BYTES = 10 * 1024 * 1024
STORED_NAME = re.compile(r"[0-9a-f]{32}(-thumb)?\.jpg")
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
LARGEST_SIDE = 1600
THUMBNAIL_SIDE = 400
# Pillow's guard against decompression bombs, lowered: no instrument photo needs more.
Image.MAX_IMAGE_PIXELS = 40_000_000


def photo_key(name: str) -> str:
    """Where a photo's or thumbnail's bytes are kept (sharing.core.storage)."""
    return f"photos/{name}"


def _open_checked(data: bytes) -> Image.Image:
    if not data:
        raise BadRequest("The file is empty.", fields={"file": ["empty"]})
    if len(data) > MAX_PHOTO_BYTES:
        raise BadRequest("A photo may be at most 10 MB.", fields={"file": ["too large"]})
    try:
        probe = Image.open(io.BytesIO(data))
        probe.verify()  # the whole file, not just its header
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise BadRequest(
            "The file is not a JPEG, PNG or WebP image.", fields={"file": ["not an image"]}
        ) from None
    if image.format not in ACCEPTED_FORMATS:
        raise BadRequest(
            "The file is not a JPEG, PNG or WebP image.", fields={"file": ["not an image"]}
        )
    return image


def _encoded(image: Image.Image, side: int) -> bytes:
    """A JPEG of at most `side` pixels a side, turned as the camera meant, without metadata."""
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def store_photo(image: Image.Image, instrument: Instrument, actor: User | None) -> InstrumentPhoto:
    """Write the photo and its thumbnail; the record names them."""
    stored_name = secrets.token_hex(16)
    full = _encoded(image, LARGEST_SIDE)
    storage.save(photo_key(f"{stored_name}.jpg"), full, "image/jpeg")
    thumbnail = _encoded(image, THUMBNAIL_SIDE)
    storage.save(photo_key(f"{stored_name}-thumb.jpg"), thumbnail, "image/jpeg")
    width, height = Image.open(io.BytesIO(full)).size
    photo = InstrumentPhoto(
        instrument_id=instrument.id,
        stored_name=stored_name,
        width=width,
        height=height,
        uploaded_by_id=actor.id if actor else None,
    )
    db.session.add(photo)
    db.session.flush()
    return photo


def add_photo(actor: User, instrument: Instrument, data: bytes) -> InstrumentPhoto:
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("Only the instrument's managers add photos.")
    return store_photo(_open_checked(data), instrument, actor)


def remove_photo(actor: User, instrument: Instrument, photo_id: int) -> None:
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("Only the instrument's managers remove photos.")
    photo = db.session.get(InstrumentPhoto, photo_id)
    if photo is None or photo.instrument_id != instrument.id:
        raise NotFound("No photo %(id)s of this instrument.", {"id": photo_id})
    lock_row(photo)  # a simultaneous removal committed first: NotFound, not a second one
    db.session.delete(photo)
    db.session.flush()
    # The files go with the record, in its transaction.
    for name in (f"{photo.stored_name}.jpg", f"{photo.stored_name}-thumb.jpg"):
        storage.remove(photo_key(name))


def photo_file(name: str) -> storage.FileData:
    """The stored file of a photo or thumbnail name (hex, optionally -thumb, .jpg)."""
    if STORED_NAME.fullmatch(name) is None:
        raise NotFound("No such photo.")
    found = storage.load(photo_key(name))
    if found is None:
        raise NotFound("No such photo.")
    return found
