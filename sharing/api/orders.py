"""Sample testing order endpoints."""

from __future__ import annotations

from flask import request

from sharing.api.base import Blueprint
from sharing.api.schemas.bookings import BookingSchema
from sharing.api.schemas.orders import (
    NoteSchema,
    OrderCompleteInSchema,
    OrderHistorySchema,
    OrderInSchema,
    OrderListSchema,
    OrderSchema,
    QuoteInSchema,
    ReceiveInSchema,
    ResultSchema,
    RunInSchema,
)
from sharing.core import storage
from sharing.core.errors import BadRequest
from sharing.core.session import require_actor
from sharing.orders import results, services

bp = Blueprint("api_orders", __name__, description="Sample testing orders (送样检测)")


def _order(order_id: int):
    actor = require_actor()
    return actor, services.get_order(actor, order_id)


def _simple(order_id: int, action, **kwargs):
    """One step of the order's workflow by the caller, committed; the order as it is now."""
    actor, order = _order(order_id)
    action(actor, order, **kwargs)
    return order


@bp.post("/orders")
@bp.arguments(OrderInSchema)
@bp.response(201, OrderSchema)
def submit(body):
    """Send samples for testing on an instrument that accepts them."""
    order = services.submit_order(require_actor(), body)
    return order


@bp.get("/orders")
@bp.response(200, OrderListSchema)
def orders():
    """Your organisation's orders; managers also those for their instruments."""
    return {"items": services.list_orders(require_actor())}


@bp.get("/orders/<int:order_id>")
@bp.response(200, OrderSchema)
def show(order_id: int):
    return _order(order_id)[1]


@bp.get("/orders/<int:order_id>/history")
@bp.response(200, OrderHistorySchema)
def history(order_id: int):
    return {"items": _order(order_id)[1].events}


@bp.post("/orders/<int:order_id>/quote")
@bp.arguments(QuoteInSchema)
@bp.response(200, OrderSchema)
def quote(body, order_id: int):
    """The lab's quote (lines, or the rate card's per-sample price when none are given)."""
    return _simple(order_id, services.quote_order, lines=body["lines"], note=body["note"])


@bp.post("/orders/<int:order_id>/accept")
@bp.response(200, OrderSchema)
def accept(order_id: int):
    return _simple(order_id, services.accept_order)


@bp.post("/orders/<int:order_id>/decline")
@bp.arguments(NoteSchema)
@bp.response(200, OrderSchema)
def decline(body, order_id: int):
    return _simple(order_id, services.decline_order, note=body["note"])


@bp.post("/orders/<int:order_id>/cancel")
@bp.arguments(NoteSchema)
@bp.response(200, OrderSchema)
def cancel(body, order_id: int):
    return _simple(order_id, services.cancel_order, note=body["note"])


@bp.post("/orders/<int:order_id>/receive")
@bp.arguments(ReceiveInSchema)
@bp.response(200, OrderSchema)
def receive(body, order_id: int):
    return _simple(
        order_id, services.receive_samples, received=body["received_samples"], note=body["note"]
    )


@bp.post("/orders/<int:order_id>/start")
@bp.response(200, OrderSchema)
def start(order_id: int):
    return _simple(order_id, services.start_analysis)


@bp.post("/orders/<int:order_id>/deliver")
@bp.response(200, OrderSchema)
def deliver(order_id: int):
    return _simple(order_id, services.deliver_results)


@bp.post("/orders/<int:order_id>/complete")
@bp.arguments(OrderCompleteInSchema)
@bp.response(200, OrderSchema)
def complete(body, order_id: int):
    """Close the order; charges follow the accepted quote, per sample actually measured."""
    return _simple(
        order_id, services.complete_order, measured=body["measured_samples"], note=body["note"]
    )


@bp.post("/orders/<int:order_id>/runs")
@bp.arguments(RunInSchema)
@bp.response(201, BookingSchema)
def run(body, order_id: int):
    """Schedule instrument time for the samples (a booking under every booking rule)."""
    actor, order = _order(order_id)
    booking = services.schedule_run(actor, order, body["start"], body["end"])
    return booking


@bp.post("/orders/<int:order_id>/results")
@bp.response(201, ResultSchema)
def upload(order_id: int):
    """Upload a result file (multipart field `file`, at most 20 MB; PDF, image, CSV, text, ZIP)."""
    actor, order = _order(order_id)
    sent = request.files.get("file")
    if sent is None:
        raise BadRequest(
            "Send the file in the multipart field 'file'.", fields={"file": ["required"]}
        )
    data = sent.stream.read(results.MAX_RESULT_BYTES + 1)
    result = results.add_result(
        actor, order, results.Upload(sent.filename or "", sent.mimetype, data)
    )
    return result


@bp.get("/orders/<int:order_id>/results/<int:file_id>")
@bp.response(200, description="The result file")
def download(order_id: int, file_id: int):
    actor, order = _order(order_id)
    result, found = results.get_result(actor, order, file_id)
    return storage.answer(found, result.content_type, download_name=result.filename)
