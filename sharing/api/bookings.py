"""Booking endpoints, and each instrument's availability, free slots and downtimes."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify

from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.bookings import (
    AvailabilitySchema,
    BookingInSchema,
    BookingListSchema,
    BookingQuerySchema,
    BookingSchema,
    CancelledSchema,
    DecisionsInSchema,
    DecisionsSchema,
    DowntimeInSchema,
    DowntimeSchema,
    DryRunSchema,
    FreeSlotArgs,
    HistorySchema,
    ReasonSchema,
    SlotListSchema,
    WindowArgs,
)
from sharing.billing.estimates import estimate
from sharing.bookings import services
from sharing.bookings.presenters import busy_entries, loan_entries
from sharing.core.feedversions import instrument_key
from sharing.core.session import api_actor, require_actor
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.services import get_instrument
from sharing.loans.services import loan_busy
from sharing.util.timeutil import Interval, utcnow

bp = Blueprint("api_bookings", __name__, description="Bookings, availability and downtimes")


@bp.post("/bookings")
@bp.arguments(BookingInSchema)
@bp.response(201, BookingSchema)
@bp.alt_response(201, schema=BookingListSchema, description="A repeat: every occurrence")
@bp.alt_response(200, schema=DryRunSchema, description="`dry_run`: checked and priced only")
def create_booking(body):
    """Request a slot (or a series with `repeat`); 409 with suggestions when the time is taken.

    With `dry_run` the request is only checked and priced: the rules it breaks, the times it
    collides with and its estimate, and nothing is held.
    """
    repeat = services.Repeat(**body["repeat"]) if "repeat" in body else None
    if body["dry_run"]:
        preview = services.preview_booking(
            require_actor(),
            body["instrument_id"],
            body["start"],
            body["end"],
            user_id=body.get("user_id"),
            repeat=repeat,
            account_id=body.get("account_id"),
        )
        answer = {
            "estimate": estimate(preview.instrument, preview.booker.organisation, preview.series),
            "violations": preview.violations,
            "conflicts": preview.conflicts,
        }
        return jsonify(DryRunSchema().dump(answer)), 200
    bookings = services.request_booking(
        require_actor(),
        body["instrument_id"],
        body["start"],
        body["end"],
        purpose=body["purpose"],
        user_id=body.get("user_id"),
        repeat=repeat,
        account_id=body.get("account_id"),
    )
    if repeat is not None:
        # A series answers with every occurrence, outside the single-booking schema.
        return jsonify(BookingListSchema().dump({"items": bookings})), 201
    return bookings[0]


@bp.get("/bookings")
@bp.arguments(BookingQuerySchema, location="query")
@bp.response(200, page_schema(BookingSchema, "BookingPage"))
def list_bookings(args):
    """Your bookings; managers also those of their instruments; admins all."""
    query = services.BookingQuery(
        instrument_id=args.get("instrument_id"),
        status=args.get("status"),
        start=args.get("from_"),
        end=args.get("to"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(services.list_bookings(require_actor(), query))


@bp.get("/bookings/<int:booking_id>")
@bp.response(200, BookingSchema)
def show_booking(booking_id: int):
    return services.get_booking(require_actor(), booking_id)


@bp.get("/bookings/<int:booking_id>/history")
@bp.response(200, HistorySchema)
def booking_history(booking_id: int):
    return {"items": services.get_booking(require_actor(), booking_id).events}


def _decide(decision: str, booking_id: int, body: dict):
    actor = require_actor()
    booking = services.DECISIONS[decision](
        actor, services.get_booking(actor, booking_id), body["reason"]
    )
    return booking


@bp.post("/bookings/<int:booking_id>/approve")
@bp.arguments(ReasonSchema)
@bp.response(200, BookingSchema)
def approve(body, booking_id: int):
    return _decide("approve", booking_id, body)


@bp.post("/bookings/<int:booking_id>/reject")
@bp.arguments(ReasonSchema)
@bp.response(200, BookingSchema)
def reject(body, booking_id: int):
    return _decide("reject", booking_id, body)


@bp.post("/bookings/<int:booking_id>/cancel")
@bp.arguments(ReasonSchema)
@bp.response(200, BookingSchema)
def cancel(body, booking_id: int):
    return _decide("cancel", booking_id, body)


@bp.post("/bookings/decisions")
@bp.arguments(DecisionsInSchema)
@bp.response(200, DecisionsSchema)
def decide_many(body):
    """Approve, reject or cancel many bookings at once; each item says how it went."""
    results = services.decide_many(require_actor(), body["ids"], body["decision"], body["reason"])
    return {"items": results}


@bp.get("/instruments/<int:instrument_id>/availability")
@bp.alt_response(304, description="Not modified: the copy with this ETag is current")
@bp.arguments(WindowArgs, location="query")
@bp.response(200, AvailabilitySchema)
def availability(args, instrument_id: int):
    """Busy time in a window; who booked it only for the instrument's managers.

    Repeats are answered 304 from the schedule's version (If-None-Match with the ETag).
    """
    instrument = get_instrument(instrument_id)
    window = Interval(args["from_"], args["to"])
    actor = api_actor()
    detailed = can_manage_instrument(actor, instrument)
    viewer_id = actor.id if actor is not None else None
    bp.answer_repeats([instrument_key(instrument.id)], viewer_id, detailed)
    busy = busy_entries(services.instrument_busy(instrument, window), detailed, viewer_id)
    busy += loan_entries(loan_busy(instrument.id, window), detailed)
    return {
        "busy": sorted(busy, key=lambda entry: entry["start"]),
        "open_hours": list(instrument.booking_rules().open_hours),
    }


@bp.get("/instruments/<int:instrument_id>/free-slots")
@bp.arguments(FreeSlotArgs, location="query")
@bp.response(200, SlotListSchema)
def free_slots(args, instrument_id: int):
    """The earliest slots that satisfy every rule for the caller."""
    instrument = get_instrument(instrument_id)
    after = args.get("after") or utcnow()
    slots = services.find_free_slots(
        api_actor(), instrument, timedelta(minutes=args["duration_minutes"]), after, args["limit"]
    )
    return {"items": slots}


@bp.post("/instruments/<int:instrument_id>/downtimes")
@bp.arguments(DowntimeInSchema)
@bp.response(201, DowntimeSchema)
def create_downtime(body, instrument_id: int):
    """Block the instrument; the answer lists the active bookings the downtime hits."""
    instrument = get_instrument(instrument_id)
    downtime, affected = services.add_downtime(
        require_actor(), instrument, body["start"], body["end"], body["reason"]
    )
    return _downtime_body(downtime, affected)


def _downtime_body(downtime, affected) -> dict:
    return {
        "id": downtime.id,
        "instrument_id": downtime.instrument_id,
        "start": downtime.start,
        "end": downtime.end,
        "reason": downtime.reason,
        "affected_bookings": [b.id for b in affected],
    }


@bp.post("/downtimes/<int:downtime_id>/cancel-affected")
@bp.arguments(ReasonSchema)
@bp.response(200, CancelledSchema)
def cancel_affected(body, downtime_id: int):
    """Cancel every booking the downtime hits, with one reason; their bookers are told."""
    actor = require_actor()
    cancelled = services.cancel_for_downtime(
        actor, services.get_downtime(actor, downtime_id), body["reason"]
    )
    return {"cancelled": [b.id for b in cancelled]}


@bp.delete("/downtimes/<int:downtime_id>")
@bp.response(204)
def delete_downtime(downtime_id: int):
    actor = require_actor()
    services.delete_downtime(actor, services.get_downtime(actor, downtime_id))
