"""The waiting list (api.md): get in line for a taken range, accept an offer, step out."""

from __future__ import annotations

from sharing.api.base import Blueprint
from sharing.api.schemas.bookings import BookingSchema
from sharing.api.schemas.waitlist import WaitlistEntrySchema, WaitlistInSchema, WaitlistListSchema
from sharing.bookings import services
from sharing.core.session import require_actor

bp = Blueprint("api_waitlist", __name__, description="The waiting list")


@bp.post("/instruments/<int:instrument_id>/waitlist")
@bp.arguments(WaitlistInSchema)
@bp.response(201, WaitlistEntrySchema)
def join(body, instrument_id: int):
    """Get in line for a taken range (a free one is 409: book it)."""
    return services.join_waitlist(require_actor(), instrument_id, body["start"], body["end"])


@bp.get("/waitlist")
@bp.response(200, WaitlistListSchema)
def own_entries():
    """The caller's entries, with their place in line and any open offer."""
    return {"items": services.own_entries(require_actor())}


@bp.delete("/waitlist/<int:entry_id>")
@bp.response(204)
def leave(entry_id: int):
    actor = require_actor()
    services.leave_waitlist(actor, services.get_entry(actor, entry_id))


@bp.post("/waitlist/<int:entry_id>/accept")
@bp.response(201, BookingSchema)
def accept(entry_id: int):
    """Book the range held for the caller; 409 when no offer is open."""
    actor = require_actor()
    return services.accept_offer(actor, services.get_entry(actor, entry_id))
