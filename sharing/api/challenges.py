"""The challenge board's endpoints."""

from __future__ import annotations

from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.challenges import (
    ApplicationInSchema,
    ApplicationListSchema,
    ApplicationSchema,
    AwardInSchema,
    BoardQuerySchema,
    ChallengeInSchema,
    ChallengeSchema,
    CompleteInSchema,
    StatsSchema,
)
from sharing.challenges import listing, services
from sharing.core.session import api_actor, require_actor

bp = Blueprint("api_challenges", __name__, description="The 揭榜挂帅 challenge board")


@bp.get("/challenges")
@bp.arguments(BoardQuerySchema, location="query")
@bp.response(200, page_schema(ChallengeSchema, "ChallengePage"))
def board(args):
    """Public challenges (and the caller's own drafts), newest deadlines first, open ones on top."""
    query = listing.BoardQuery(
        q=args["q"],
        field=args.get("field"),
        status=args.get("status"),
        min_budget=args.get("min_budget"),
        max_budget=args.get("max_budget"),
        deadline_before=args.get("deadline_before"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(listing.list_board(api_actor(), query))


@bp.get("/challenges/stats")
@bp.response(200, StatsSchema)
def stats():
    """Posted, open, awarded, completed and contract value; by field and by company."""
    return listing.board_stats()


@bp.get("/challenges/<int:challenge_id>")
@bp.response(200, ChallengeSchema)
def show(challenge_id: int):
    return services.get_challenge(api_actor(), challenge_id)


@bp.post("/challenges")
@bp.arguments(ChallengeInSchema)
@bp.response(201, ChallengeSchema)
def post(body):
    """A company posts a challenge, as a draft or open at once."""
    challenge = services.post_challenge(require_actor(), body)
    return challenge


@bp.patch("/challenges/<int:challenge_id>")
@bp.arguments(ChallengeInSchema(partial=True))
@bp.response(200, ChallengeSchema)
def patch(body, challenge_id: int):
    actor = require_actor()
    challenge = services.update_challenge(actor, services.get_challenge(actor, challenge_id), body)
    return challenge


@bp.post("/challenges/<int:challenge_id>/withdraw")
@bp.response(200, ChallengeSchema)
def withdraw(challenge_id: int):
    actor = require_actor()
    challenge = services.withdraw_challenge(actor, services.get_challenge(actor, challenge_id))
    return challenge


@bp.post("/challenges/<int:challenge_id>/applications")
@bp.arguments(ApplicationInSchema)
@bp.response(201, ApplicationSchema)
def apply(body, challenge_id: int):
    """揭榜: apply with a proposal; one per person, before the deadline."""
    actor = require_actor()
    application = services.apply_to_challenge(
        actor, services.get_challenge(actor, challenge_id), body
    )
    return application


@bp.get("/challenges/<int:challenge_id>/applications")
@bp.response(200, ApplicationListSchema)
def applications(challenge_id: int):
    """The owner's company and admins see all; an applicant sees only its own; others 403."""
    actor = require_actor()
    return {"items": services.list_applications(actor, services.get_challenge(actor, challenge_id))}


@bp.patch("/applications/<int:application_id>")
@bp.arguments(ApplicationInSchema(partial=True))
@bp.response(200, ApplicationSchema)
def edit_application(body, application_id: int):
    """The applicant edits the proposal until the deadline."""
    actor = require_actor()
    application = services.update_application(
        actor, services.get_application(actor, application_id), body
    )
    return application


@bp.post("/challenges/<int:challenge_id>/award")
@bp.arguments(AwardInSchema)
@bp.response(200, ChallengeSchema)
def award(body, challenge_id: int):
    """挂帅: the company selects the application that takes the lead."""
    actor = require_actor()
    challenge = services.award_challenge(
        actor, services.get_challenge(actor, challenge_id), body["application_id"]
    )
    return challenge


@bp.post("/challenges/<int:challenge_id>/complete")
@bp.arguments(CompleteInSchema)
@bp.response(200, ChallengeSchema)
def complete(body, challenge_id: int):
    actor = require_actor()
    challenge = services.complete_challenge(
        actor, services.get_challenge(actor, challenge_id), body["contract_amount"]
    )
    return challenge
