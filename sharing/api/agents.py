"""The managers' side of instruments' agents: register and revoke them, and settle what they
report (bill or dismiss unbooked use, end forgotten sessions)."""

from __future__ import annotations

from sharing.agents import registry, review
from sharing.agents.access import can_manage_agents
from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.agents import (
    AgentCreatedSchema,
    AgentInSchema,
    AgentListSchema,
    ConfirmedSchema,
    ConfirmInSchema,
    DismissInSchema,
    LeftAtSchema,
    SessionQuerySchema,
    UsageSessionSchema,
)
from sharing.core.errors import Forbidden
from sharing.core.session import require_actor
from sharing.instruments.services import get_instrument

bp = Blueprint("api_agents", __name__, description="Instruments' agents and the use they report")


@bp.post("/instruments/<int:instrument_id>/agents")
@bp.arguments(AgentInSchema)
@bp.response(201, AgentCreatedSchema)
def register(body, instrument_id: int):
    """A new agent for the instrument (managers); its token is in this answer only."""
    agent, token = registry.register_agent(
        require_actor(), get_instrument(instrument_id), body["name"], body["mode"]
    )
    agent.token = token
    return agent


@bp.get("/instruments/<int:instrument_id>/agents")
@bp.response(200, AgentListSchema)
def list_agents(instrument_id: int):
    """The instrument's live agents, online or not (managers)."""
    instrument = get_instrument(instrument_id)
    if not can_manage_agents(require_actor(), instrument):
        raise Forbidden("Only the instrument's managers see its agents.")
    return {"items": registry.list_agents(instrument)}


@bp.delete("/agents/<int:agent_id>")
@bp.response(204)
def revoke(agent_id: int):
    """Revoke the agent: its token is refused from its next call on."""
    actor = require_actor()
    registry.revoke_agent(actor, registry.get_agent(actor, agent_id))


@bp.get("/agent-sessions")
@bp.arguments(SessionQuerySchema, location="query")
@bp.response(200, page_schema(UsageSessionSchema, "SessionPage"))
def list_sessions(args):
    """Sessions of the instruments the caller manages (admins: all), newest first;
    `status=unbooked` is the unbooked use waiting for a decision."""
    query = review.SessionQuery(
        instrument_id=args.get("instrument_id"),
        status=args.get("status"),
        start=args.get("from_"),
        end=args.get("to"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(review.list_sessions(require_actor(), query))


@bp.post("/agent-sessions/<int:session_id>/confirm")
@bp.arguments(ConfirmInSchema)
@bp.response(200, ConfirmedSchema)
def confirm(body, session_id: int):
    """Bill unbooked use: a booking of the times used is made for the person and charged."""
    actor = require_actor()
    session = review.get_reviewed_session(actor, session_id)
    session.charge = review.confirm_unbooked(actor, session, body["note"])
    return session


@bp.post("/agent-sessions/<int:session_id>/dismiss")
@bp.arguments(DismissInSchema)
@bp.response(200, UsageSessionSchema)
def dismiss(body, session_id: int):
    """Do not bill this unbooked use (kept, and counted as no use)."""
    actor = require_actor()
    session = review.get_reviewed_session(actor, session_id)
    review.dismiss_unbooked(actor, session, body["reason"])
    return session


@bp.post("/agent-sessions/<int:session_id>/end")
@bp.arguments(LeftAtSchema)
@bp.response(200, UsageSessionSchema)
def end(body, session_id: int):
    """End a session the person left open, at the time they left (default: now)."""
    actor = require_actor()
    return review.end_for_person(
        actor, review.get_reviewed_session(actor, session_id), body.get("at")
    )
