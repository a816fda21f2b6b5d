"""Training and qualifications: ask, schedule the session, grant or decline (api.md)."""

from __future__ import annotations

from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.training import (
    DeclineInSchema,
    GrantInSchema,
    QualificationSchema,
    ScheduleInSchema,
    TrainingQuerySchema,
    TrainingRequestInSchema,
    TrainingRequestSchema,
)
from sharing.core.session import require_actor
from sharing.instruments.services import get_instrument
from sharing.training import services

bp = Blueprint("api_training", __name__, description="Training and qualifications")


@bp.get("/instruments/<int:instrument_id>/qualification")
@bp.response(200, QualificationSchema)
def qualification(instrument_id: int):
    """Whether the caller may book: none, requested, scheduled, qualified or expired."""
    return services.qualification(require_actor(), get_instrument(instrument_id))


@bp.post("/instruments/<int:instrument_id>/training-requests")
@bp.arguments(TrainingRequestInSchema)
@bp.response(201, TrainingRequestSchema)
def request_training(body, instrument_id: int):
    """Ask the instrument's managers for training; a second open request is 409 duplicate."""
    return services.request_training(require_actor(), get_instrument(instrument_id), body["note"])


@bp.get("/training-requests")
@bp.arguments(TrainingQuerySchema, location="query")
@bp.response(200, page_schema(TrainingRequestSchema, "TrainingRequestPage"))
def list_training_requests(args):
    """Managers: requests on their instruments (and their own); others: their own."""
    found = services.list_requests(
        require_actor(), args.get("status"), args["page"], args["per_page"]
    )
    return page_body(found)


@bp.get("/training-requests/<int:request_id>")
@bp.response(200, TrainingRequestSchema)
def show_training_request(request_id: int):
    return services.get_request(require_actor(), request_id)


@bp.post("/training-requests/<int:request_id>/schedule")
@bp.arguments(ScheduleInSchema)
@bp.response(200, TrainingRequestSchema)
def schedule_training(body, request_id: int):
    """Book the session on the instrument's calendar for the trainee."""
    actor = require_actor()
    request = services.get_request(actor, request_id)
    return services.schedule_training(actor, request, body["start"], body["end"])


@bp.post("/training-requests/<int:request_id>/grant")
@bp.arguments(GrantInSchema)
@bp.response(200, TrainingRequestSchema)
def grant_training(body, request_id: int):
    """Qualify the user, by default for the instrument's qualification_months."""
    actor = require_actor()
    request = services.get_request(actor, request_id)
    return services.grant_training(actor, request, body["expires_at"])


@bp.post("/training-requests/<int:request_id>/decline")
@bp.arguments(DeclineInSchema)
@bp.response(200, TrainingRequestSchema)
def decline_training(body, request_id: int):
    actor = require_actor()
    request = services.get_request(actor, request_id)
    return services.decline_training(actor, request, body["reason"])
