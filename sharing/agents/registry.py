"""Agents registered, revoked, recognised by their tokens and heard from (heartbeats)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from sharing.agents.access import can_manage_agents
from sharing.agents.models import AgentMode, InstrumentAgent
from sharing.agents.rules import is_online
from sharing.auth.models import User
from sharing.core.errors import Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow

# Calls other than heartbeats note the agent's presence at most this often (a write each).
SEEN_PRECISION = timedelta(seconds=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def register_agent(
    actor: User, instrument: Instrument, name: str = "", mode: AgentMode = AgentMode.INTERLOCK
) -> tuple[InstrumentAgent, str]:
    """A new agent of the instrument and its token, returned this once and never stored."""
    if not can_manage_agents(actor, instrument):
        raise Forbidden("Only the instrument's managers register its agents.")
    token = secrets.token_urlsafe(32)
    agent = InstrumentAgent(
        instrument=instrument,
        name=name.strip(),
        mode=mode,
        token_hash=_digest(token),
        created_by=actor,
    )
    db.session.add(agent)
    db.session.flush()
    return agent, token


def get_agent(actor: User, agent_id: int) -> InstrumentAgent:
    """A live agent the actor manages; 404 otherwise (who has agents is the managers' business)."""
    agent = db.session.get(InstrumentAgent, agent_id)
    if agent is None or not agent.is_live or not can_manage_agents(actor, agent.instrument):
        raise NotFound("No agent %(id)s.", {"id": agent_id})
    return agent


def revoke_agent(actor: User, agent: InstrumentAgent, now: datetime | None = None) -> None:
    """The token stops working at once: its next call is refused."""
    if not can_manage_agents(actor, agent.instrument):
        raise Forbidden("Only the instrument's managers revoke its agents.")
    lock_row(agent)
    if agent.revoked_at is not None:
        raise NotFound("No agent %(id)s.", {"id": agent.id})
    agent.revoked_at = now or utcnow()
    db.session.flush()


def list_agents(instrument: Instrument, with_revoked: bool = False) -> list[InstrumentAgent]:
    statement = select(InstrumentAgent).where(InstrumentAgent.instrument_id == instrument.id)
    if not with_revoked:
        statement = statement.where(InstrumentAgent.revoked_at.is_(None))
    return list(db.session.scalars(statement.order_by(InstrumentAgent.id)))


def resolve_agent_token(token: str) -> InstrumentAgent | None:
    """The live agent a token names, or None (unknown or revoked: refused at once)."""
    agent = db.session.scalar(
        select(InstrumentAgent).where(InstrumentAgent.token_hash == _digest(token))
    )
    if agent is None or agent.revoked_at is not None:
        return None
    return agent


def mark_seen(agent: InstrumentAgent, now: datetime, always: bool = False) -> bool:
    """Note that the agent was heard from (a heartbeat always; other calls every 30 seconds at
    most); True when that wrote something to commit."""
    if not always and agent.last_seen_at is not None and now - agent.last_seen_at < SEEN_PRECISION:
        return False
    db.session.execute(
        update(InstrumentAgent).where(InstrumentAgent.id == agent.id).values(last_seen_at=now)
    )
    return True


@dataclass(frozen=True)
class AgentStatus:
    """What the instrument JSON and pages show of an instrument's agents."""

    online: bool
    last_seen_at: datetime | None
    mode: AgentMode


def agent_statuses(instrument_ids: list[int], now: datetime) -> dict[int, AgentStatus]:
    """Per instrument with live agents: online when any of them was heard from in the last five
    minutes; the latest time any was heard from; the mode (a logger if any agent only logs)."""
    if not instrument_ids:
        return {}
    rows = db.session.execute(
        select(
            InstrumentAgent.instrument_id, InstrumentAgent.last_seen_at, InstrumentAgent.mode
        ).where(
            InstrumentAgent.instrument_id.in_(instrument_ids),
            InstrumentAgent.revoked_at.is_(None),
        )
    )
    found: dict[int, AgentStatus] = {}
    for instrument_id, last_seen_at, mode in rows:
        before = found.get(instrument_id)
        seen = max(
            (t for t in (last_seen_at, before and before.last_seen_at) if t is not None),
            default=None,
        )
        logs = mode == AgentMode.LOG or (before is not None and before.mode == AgentMode.LOG)
        found[instrument_id] = AgentStatus(
            is_online(seen, now), seen, AgentMode.LOG if logs else AgentMode.INTERLOCK
        )
    return found


def agent_status(instrument: Instrument, now: datetime | None = None) -> AgentStatus | None:
    """The instrument's agents as one status, None when it has none."""
    return agent_statuses([instrument.id], now or utcnow()).get(instrument.id)
