"""The calls an instrument's agent makes (`Authorization: Agent <token>`): its sessions and its
heartbeat, acting on its own instrument only. Agents are a kind of caller of their own: a
person's bearer token opens none of these, an agent's token opens nothing else."""

from __future__ import annotations

from flask import request

from sharing.agents import sessions
from sharing.agents.registry import mark_seen, resolve_agent_token
from sharing.api.base import Blueprint
from sharing.api.idempotent import begin_keyed_request
from sharing.api.schemas.agents import (
    AgentSelfSchema,
    LeftAtSchema,
    SessionStartSchema,
    StartedSchema,
    UsageSessionSchema,
)
from sharing.core.dbsetup import before_writer_turn
from sharing.core.errors import Unauthorized
from sharing.core.idempotency import KeyOwner
from sharing.extensions import db
from sharing.util.timeutil import utcnow

AGENT_KEY = "sharing.api_agent"


def _agent_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "agent" or not token.strip():
        return None
    return token.strip()


def current_agent():
    """The live agent this request's token names; 401 for any other caller, at once for a
    revoked token (looked up on every call, never remembered)."""
    if AGENT_KEY in request.environ:
        return request.environ[AGENT_KEY]
    token = _agent_token()
    if token is None:
        raise Unauthorized("Agents send 'Authorization: Agent <token>'.")
    with before_writer_turn():
        agent = resolve_agent_token(token)
    if agent is None:
        raise Unauthorized("The agent token is unknown or revoked.")
    if mark_seen(agent, utcnow()):
        # Its own commit, as a bearer token's last use: refused calls were heard from too.
        db.session.commit()
    request.environ[AGENT_KEY] = agent
    return agent


def _authenticate() -> None:
    current_agent()


def _begin_keyed():
    return begin_keyed_request(KeyOwner(agent_id=current_agent().id))


class AgentBlueprint(Blueprint):
    """The agent's calls: known by its token, with Idempotency-Keys of its own."""

    CALLER_HOOKS = (_authenticate, _begin_keyed)


bp = AgentBlueprint(
    "api_agent", __name__, description="The calls of an instrument's agent (Authorization: Agent)"
)


@bp.get("/agent")
@bp.response(200, AgentSelfSchema)
def whoami():
    """The agent itself, its instrument and the session going on at its PC (after a restart)."""
    agent = current_agent()
    agent.open_session = sessions.open_session(agent)
    return agent


@bp.post("/agent/sessions")
@bp.arguments(SessionStartSchema)
@bp.response(201, StartedSchema)
@bp.alt_response(200, schema=StartedSchema, description="The person's session already open")
def start(body):
    """May this person use the instrument now? 201 with the session (the booking is checked
    in), or 403 `not_allowed` with the reason."""
    started = sessions.start_session(current_agent(), body["user"], body.get("at"), body["offline"])
    return started.session, 201 if started.created else 200


@bp.post("/agent/sessions/<int:session_id>/end")
@bp.arguments(LeftAtSchema)
@bp.response(200, UsageSessionSchema)
def end(body, session_id: int):
    """The person left: checked out and charged once, however often this is sent."""
    return sessions.end_session(current_agent(), session_id, body.get("at"))


@bp.post("/agent/heartbeat")
@bp.response(204)
def heartbeat():
    """The agent is running: online until five minutes of silence."""
    mark_seen(current_agent(), utcnow(), always=True)
