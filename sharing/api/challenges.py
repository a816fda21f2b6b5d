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
from sharing.challenges import services
from sharing.extensions import db
from sharing.session import api_actor, require_actor

blp = Blueprint("api_challenges", __name__, description="The 揭榜挂帅 challenge board")


@blp.get("/challenges")
@blp.arguments(BoardQuerySchema, location="query")
@blp.response(200, page_schema(ChallengeSchema, "ChallengePage"))
def board(args):
    """Public challenges (and the caller's own drafts), newest deadlines first, open ones on top."""
    query = services.BoardQuery(
        q=args["q"],
        field=args.get("field"),
        status=args.get("status"),
        min_budget=args.get("min_budget"),
        max_budget=args.get("max_budget"),
        deadline_before=args.get("deadline_before"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(services.list_board(api_actor(), query))


@blp.get("/challenges/stats")
@blp.response(200, StatsSchema)
def stats():
    """Posted, open, awarded, completed and contract value; by field and by company."""
    return services.board_stats()


@blp.get("/challenges/<int:challenge_id>")
@blp.response(200, ChallengeSchema)
def show(challenge_id: int):
    return services.get_challenge(api_actor(), challenge_id)


@blp.post("/challenges")
@blp.arguments(ChallengeInSchema)
@blp.response(201, ChallengeSchema)
def post(body):
    """A company posts a challenge, as a draft or open at once."""
    challenge = services.post_challenge(require_actor(), body)
    db.session.commit()
    return challenge


@blp.patch("/challenges/<int:challenge_id>")
@blp.arguments(ChallengeInSchema(partial=True))
@blp.response(200, ChallengeSchema)
def patch(body, challenge_id: int):
    actor = require_actor()
    challenge = services.update_challenge(actor, services.get_challenge(actor, challenge_id), body)
    db.session.commit()
    return challenge


@blp.post("/challenges/<int:challenge_id>/withdraw")
@blp.response(200, ChallengeSchema)
def withdraw(challenge_id: int):
    actor = require_actor()
    challenge = services.withdraw_challenge(actor, services.get_challenge(actor, challenge_id))
    db.session.commit()
    return challenge


@blp.post("/challenges/<int:challenge_id>/applications")
@blp.arguments(ApplicationInSchema)
@blp.response(201, ApplicationSchema)
def apply(body, challenge_id: int):
    """揭榜: apply with a proposal; one per person, before the deadline."""
    actor = require_actor()
    application = services.apply_to_challenge(
        actor, services.get_challenge(actor, challenge_id), body
    )
    db.session.commit()
    return application


@blp.get("/challenges/<int:challenge_id>/applications")
@blp.response(200, ApplicationListSchema)
def applications(challenge_id: int):
    """The owner's company and admins see all; an applicant sees only its own; others 403."""
    actor = require_actor()
    return {"items": services.list_applications(actor, services.get_challenge(actor, challenge_id))}


@blp.patch("/applications/<int:application_id>")
@blp.arguments(ApplicationInSchema(partial=True))
@blp.response(200, ApplicationSchema)
def edit_application(body, application_id: int):
    """The applicant edits the proposal until the deadline."""
    actor = require_actor()
    application = services.update_application(
        actor, services.get_application(actor, application_id), body
    )
    db.session.commit()
    return application


@blp.post("/challenges/<int:challenge_id>/award")
@blp.arguments(AwardInSchema)
@blp.response(200, ChallengeSchema)
def award(body, challenge_id: int):
    """挂帅: the company selects the application that takes the lead."""
    actor = require_actor()
    challenge = services.award_challenge(
        actor, services.get_challenge(actor, challenge_id), body["application_id"]
    )
    db.session.commit()
    return challenge


@blp.post("/challenges/<int:challenge_id>/complete")
@blp.arguments(CompleteInSchema)
@blp.response(200, ChallengeSchema)
def complete(body, challenge_id: int):
    actor = require_actor()
    challenge = services.complete_challenge(
        actor, services.get_challenge(actor, challenge_id), body["contract_amount"]
    )
    db.session.commit()
    return challenge
