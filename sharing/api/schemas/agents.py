"""Schemas of instruments' agents, the sessions they report and the managers' review of them."""

from __future__ import annotations

import unicodedata

import marshmallow as ma

from sharing.agents.models import AgentMode
from sharing.agents.rules import is_online
from sharing.api.base import PageArgs, RecordId, Whole, ZonedDateTime
from sharing.api.schemas.billing import ChargeSchema
from sharing.auth.cards import MAX_PERSON_TEXT
from sharing.billing.models import SessionStatus
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import format_datetime, utcnow

# Only the JSON literals true and false: "yes", 1 or "x" are 400, never read as a flag.
STRICT_FLAG = {"truthy": {True}, "falsy": {False}}


def _printable(text: str) -> None:
    """No control characters, line separators or the like: nothing a card reader types."""
    if any(
        unicodedata.category(c)[0] == "C" or unicodedata.category(c) in {"Zl", "Zp"} for c in text
    ):
        raise ma.ValidationError("Control characters are not allowed.")
    if not text.strip():
        raise ma.ValidationError("Give an e-mail address or a card number.")


class AgentInSchema(ma.Schema):
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=120))
    mode = ma.fields.Enum(AgentMode, by_value=True, load_default=AgentMode.INTERLOCK)


class AgentSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    name = ma.fields.String()
    mode = ma.fields.Enum(AgentMode, by_value=True)
    online = ma.fields.Function(lambda a: a.is_live and is_online(a.last_seen_at, utcnow()))
    last_seen_at = ZonedDateTime(allow_none=True)
    created_at = ZonedDateTime()
    revoked_at = ZonedDateTime(allow_none=True)


class AgentCreatedSchema(AgentSchema):
    """The new agent with its token: shown this once, stored only as a hash."""

    token = ma.fields.String()


class AgentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AgentSchema))


class AgentStatusSchema(ma.Schema):
    """An instrument's agents as its JSON shows them (`"agent"`)."""

    online = ma.fields.Boolean()
    last_seen_at = ZonedDateTime(allow_none=True)
    mode = ma.fields.Enum(AgentMode, by_value=True)


class SessionStartSchema(ma.Schema):
    user = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=1, max=MAX_PERSON_TEXT), _printable],
        metadata={"description": "An e-mail address or a campus card number"},
    )
    at = ZonedDateTime(metadata={"description": "When the person came (default: now)"})
    offline = ma.fields.Boolean(
        load_default=False,
        **STRICT_FLAG,
        metadata={"description": "The agent let the person in while it could not ask"},
    )


class LeftAtSchema(ma.Schema):
    at = ZonedDateTime(metadata={"description": "When the person left (default: now)"})


class UsageSessionSchema(ma.Schema):
    id = Whole()
    session_id = ma.fields.Function(lambda s: s.id)
    agent_id = Whole()
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda s: s.instrument.name)
    user_id = Whole()
    user_name = ma.fields.Function(lambda s: s.user.name)
    booking_id = Whole(allow_none=True)
    started_at = ZonedDateTime()
    ended_at = ZonedDateTime(allow_none=True)
    status = ma.fields.Enum(SessionStatus, by_value=True)
    offline = ma.fields.Boolean()
    refusal = ma.fields.String(allow_none=True)
    reviewed_at = ZonedDateTime(allow_none=True)
    review_note = ma.fields.String()


class StartedSchema(UsageSessionSchema):
    """api.md's answer to a start: `session_id`, `allowed`, `booking_id`, `until`."""

    allowed = ma.fields.Function(lambda s: s.refusal is None)
    until = ma.fields.Method("_until", metadata={"description": "The booking's end (RFC 3339)"})
    unbooked = ma.fields.Function(lambda s: s.booking_id is None)

    def _until(self, session):
        if session.booking is None:
            return None
        return format_datetime(session.booking.end, platform_zone())


class AgentSelfSchema(AgentSchema):
    """What an agent learns of itself: its instrument and the session going on at its PC."""

    instrument = ma.fields.Function(
        lambda a: {
            "id": a.instrument.id,
            "name": a.instrument.name,
            "name_en": a.instrument.name_en,
        }
    )
    open_session = ma.fields.Nested(UsageSessionSchema, allow_none=True)


class SessionQuerySchema(PageArgs):
    instrument_id = RecordId(strict=False)
    status = ma.fields.Enum(SessionStatus, by_value=True)
    from_ = ZonedDateTime(data_key="from")
    to = ZonedDateTime()


class ConfirmInSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))


class DismissInSchema(ma.Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))


class ConfirmedSchema(UsageSessionSchema):
    """Unbooked use billed: the session, now on its booking, and the charge made."""

    charge = ma.fields.Nested(ChargeSchema, allow_none=True)
