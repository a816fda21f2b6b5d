"""Instrument endpoints: catalog search, records, creation and editing, qualified users."""

from __future__ import annotations

from flask import request

from sharing.agents.registry import agent_status
from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.instruments import (
    InstrumentDetailSchema,
    InstrumentInSchema,
    InstrumentQuerySchema,
    InstrumentSchema,
    PhotoSchema,
    QualifiedUserInSchema,
    QualifiedUserSchema,
)
from sharing.assessment import ratings
from sharing.core.errors import BadRequest
from sharing.core.feedversions import CATALOG_KEY
from sharing.core.session import api_actor, require_actor
from sharing.cruises.services import set_vessel
from sharing.instruments.catalog import CatalogQuery, search_instruments
from sharing.instruments.photos import MAX_PHOTO_BYTES, add_photo, remove_photo
from sharing.instruments.presenters import viewer_category
from sharing.instruments.qualifications import add_qualified_user, remove_qualified_user
from sharing.instruments.services import create_instrument, get_instrument, update_instrument

bp = Blueprint("api_instruments", __name__, description="The instrument catalog")


@bp.get("/instruments")
@bp.alt_response(304, description="Not modified: the copy with this ETag is current")
@bp.arguments(InstrumentQuerySchema, location="query")
@bp.response(200, page_schema(InstrumentSchema, "InstrumentPage"))
def list_instruments(args):
    """Search by words (Chinese or English), category, organisation, status and hourly price.

    Repeats are answered 304 from the catalog's version (If-None-Match with the ETag).
    """
    price_category = viewer_category(api_actor())
    bp.answer_repeats([CATALOG_KEY], price_category)
    query = CatalogQuery(price_category=price_category, **args)
    found = search_instruments(query)
    with_ratings(found.items)
    return page_body(found)


def with_ratings(instruments: list) -> list:
    """Each instrument with its average rating and count, from one query."""
    found = ratings.summaries([instrument.id for instrument in instruments])
    for instrument in instruments:
        instrument.rating_summary = found.get(instrument.id, ratings.NO_RATINGS)
    return instruments


@bp.get("/instruments/<int:instrument_id>")
@bp.response(200, InstrumentDetailSchema)
def show_instrument(instrument_id: int):
    """One instrument, its rating and whether its agent is online."""
    instrument = with_ratings([get_instrument(instrument_id)])[0]
    instrument.agent_status = agent_status(instrument)
    return instrument


@bp.post("/instruments")
@bp.arguments(InstrumentInSchema)
@bp.response(201, InstrumentDetailSchema)
def post_instrument(body):
    """Add an instrument (managers to their organisation; admins name the organisation)."""
    actor = require_actor()
    capacity = body.pop("vessel", None)
    instrument = create_instrument(actor, body)
    if capacity is not None:
        set_vessel(actor, instrument, capacity)
    instrument.agent_status = None  # a new instrument has no agent yet
    return instrument


@bp.patch("/instruments/<int:instrument_id>")
@bp.arguments(InstrumentInSchema(partial=True))
@bp.response(200, InstrumentDetailSchema)
def patch_instrument(body, instrument_id: int):
    """Change any of an instrument's fields; rules left out keep their values."""
    actor = require_actor()
    capacity = body.pop("vessel", None)
    instrument = update_instrument(actor, get_instrument(instrument_id), body)
    if capacity is not None:
        set_vessel(actor, instrument, capacity)
    instrument.agent_status = agent_status(instrument)
    return instrument


@bp.post("/instruments/<int:instrument_id>/photos")
@bp.response(201, PhotoSchema)
def post_photo(instrument_id: int):
    """Add a photo (multipart field `file`: JPEG, PNG or WebP, at most 10 MB); managers only."""
    actor = require_actor()
    instrument = get_instrument(instrument_id)
    sent = request.files.get("file")
    if sent is None:
        raise BadRequest(
            "Send the photo in the multipart field 'file'.", fields={"file": ["required"]}
        )
    return add_photo(actor, instrument, sent.read(MAX_PHOTO_BYTES + 1))


@bp.delete("/instruments/<int:instrument_id>/photos/<int:photo_id>")
@bp.response(204)
def delete_photo(instrument_id: int, photo_id: int):
    remove_photo(require_actor(), get_instrument(instrument_id), photo_id)


@bp.post("/instruments/<int:instrument_id>/qualified-users")
@bp.arguments(QualifiedUserInSchema)
@bp.response(201, QualifiedUserSchema)
def post_qualified_user(body, instrument_id: int):
    grant = add_qualified_user(require_actor(), get_instrument(instrument_id), body["user_id"])
    return grant


@bp.delete("/instruments/<int:instrument_id>/qualified-users/<int:user_id>")
@bp.response(204)
def delete_qualified_user(instrument_id: int, user_id: int):
    remove_qualified_user(require_actor(), get_instrument(instrument_id), user_id)
