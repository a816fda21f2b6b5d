"""Sessions at the instrument: "may this person use it now?" (start) and the end of their use.

An agent's calls are taken one after another (its row is locked first), so a start or an end
sent again, or sent five times at once, finds what the first one did: the open session of the
same person is that session, an ended session stays as it ended, and the booking's check-out
(and its one charge: a unique key) is made once. Check-in, check-out and charges are billing's
(sharing.billing.services.usage): the booking is checked in and out as if by its booker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select

from sharing.agents.models import AgentMode, InstrumentAgent
from sharing.agents.rules import CLOCK_SKEW, Standing, decide
from sharing.auth.cards import find_person
from sharing.auth.models import User
from sharing.billing.models import SessionStatus, UsageSession
from sharing.billing.services import check_in, check_out, extend_use
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking, Downtime
from sharing.bookings.services import is_suspended
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.qualifications import training_standing
from sharing.util.timeutil import utcnow

# A refusal's message per reason (the agent shows its own words; these are for its log).
REFUSALS = {
    "instrument_unavailable": "The instrument is out of service now.",
    "suspended": "This person's booking rights are suspended.",
    "not_qualified": "This person is not qualified on the instrument.",
    "no_booking": "This person has no current booking of the instrument.",
}


class NotAllowed(Forbidden):
    """The person may not use the instrument now; `reason` says why (api.md)."""

    code = "not_allowed"

    def __init__(self, reason: str):
        super().__init__(REFUSALS[reason], reason=reason)
        self.reason = reason


@dataclass(frozen=True)
class Started:
    session: UsageSession
    created: bool  # False: the person was in session already, and this is that session


def moment(at: datetime | None, now: datetime) -> datetime:
    """The time an agent names (now when it names none); not in the platform's future."""
    if at is None:
        return now
    if at > now + CLOCK_SKEW:
        raise BadRequest("The time lies in the future.", fields={"at": ["in the future"]})
    return at


def _locked(agent: InstrumentAgent) -> InstrumentAgent:
    lock_row(agent)
    if agent.revoked_at is not None:  # revoked while this call waited for the lock
        raise Unauthorized("The agent token is unknown or revoked.")
    return agent


def start_session(
    agent: InstrumentAgent,
    person_text: str,
    at: datetime | None = None,
    offline: bool = False,
    now: datetime | None = None,
) -> Started:
    """Start a session for the person an e-mail or card number names, on their current booking
    (checked in), as unbooked use where the agent only logs, or refuse with the reason.

    `offline`: the agent let the person in while it could not ask and says so afterwards; the
    use happened, so it is recorded whatever the answer would have been (as unbooked use with
    that answer as its `refusal`), unless nobody carries that e-mail or card.
    """
    at = moment(at, now or utcnow())
    _locked(agent)
    person = find_person(person_text)
    current = open_session(agent)
    if current is not None and person is not None and current.user_id == person.id:
        return Started(current, created=False)
    instrument = agent.instrument
    booking = current_booking(person, instrument, at) if person is not None else None
    decision = decide(_standing(person, instrument, booking, at), agent.mode == AgentMode.LOG)
    if not decision.allowed and not (offline and person is not None):
        raise NotAllowed(decision.reason)
    if current is not None:
        if at <= current.started_at:
            raise Conflict("Another session at this instrument began later.", code="invalid_state")
        finish(current, at)  # the person before has left the instrument's PC
    session = UsageSession(
        agent_id=agent.id,
        instrument_id=instrument.id,
        user_id=person.id,
        started_at=at,
        offline=offline,
        refusal=decision.reason,
    )
    if decision.booked:
        session.booking_id = booking.id
        if booking.status == BookingStatus.APPROVED and booking.checked_in_at is None:
            check_in(person, booking, at)
    db.session.add(session)
    db.session.flush()
    return Started(session, created=True)


def _standing(
    person: User | None, instrument: Instrument, booking: Booking | None, at: datetime
) -> Standing:
    if person is None:
        return Standing(known=False)
    return Standing(
        known=True,
        manages=can_manage_instrument(person, instrument),
        instrument_available=_in_service(instrument, at),
        suspended=is_suspended(person, instrument.organisation_id),
        qualified=training_standing(person, instrument, at) == "qualified",
        has_booking=booking is not None,
    )


def _in_service(instrument: Instrument, at: datetime) -> bool:
    if instrument.status != InstrumentStatus.AVAILABLE:
        return False
    down = select(Downtime.id).where(
        Downtime.instrument_id == instrument.id, Downtime.start <= at, Downtime.end > at
    )
    return db.session.scalar(down.limit(1)) is None


def current_booking(person: User, instrument: Instrument, at: datetime) -> Booking | None:
    """The person's booking of the instrument that a session starting at `at` runs on: an
    approved one whose check-in is open (from the window before its start until its end), or
    the rest of one already used through this instrument's agents (logged off and on again)."""
    window = timedelta(minutes=instrument.check_in_window_minutes)
    resumed = exists().where(
        UsageSession.booking_id == Booking.id, UsageSession.ended_at.is_not(None)
    )
    statement = (
        select(Booking)
        .where(
            Booking.instrument_id == instrument.id,
            Booking.user_id == person.id,
            Booking.end > at,
            or_(
                and_(Booking.status == BookingStatus.APPROVED, Booking.start <= at + window),
                and_(Booking.status == BookingStatus.COMPLETED, Booking.start <= at, resumed),
            ),
        )
        .order_by(Booking.start)
        .limit(1)
    )
    return db.session.scalar(statement)


def open_session(agent: InstrumentAgent) -> UsageSession | None:
    """The session going on at the agent's PC, if any (one at a time: a unique key)."""
    return db.session.scalar(
        select(UsageSession).where(
            UsageSession.agent_id == agent.id, UsageSession.ended_at.is_(None)
        )
    )


def get_session(agent: InstrumentAgent, session_id: int) -> UsageSession:
    """One of the agent's own sessions; 404 for any other."""
    session = db.session.get(UsageSession, session_id)
    if session is None or session.agent_id != agent.id:
        raise NotFound("No session %(id)s.", {"id": session_id})
    return session


def end_session(
    agent: InstrumentAgent, session_id: int, at: datetime | None = None, now=None
) -> UsageSession:
    """The person left: the booking is checked out and charged once, however often this is
    sent; unbooked use waits for the managers. An ended session is answered as it ended."""
    at = moment(at, now or utcnow())
    _locked(agent)
    return finish(get_session(agent, session_id), at)


def finish(session: UsageSession, at: datetime, actor: User | None = None) -> UsageSession:
    """End the session at `at` (nothing again if it has ended): check out its booking as its
    booker (or `actor`, a manager ending a forgotten one), or leave unbooked use for review."""
    if session.ended_at is not None:
        return session
    if at <= session.started_at:
        raise BadRequest("A session ends after it starts.", fields={"at": ["before the start"]})
    booked = session.booking_id is not None
    session.ended_at = at
    session.status = SessionStatus.ENDED if booked else SessionStatus.UNBOOKED
    if booked:
        _check_out(session.booking, at, actor or session.booking.user)
    db.session.flush()
    return session


def _check_out(booking: Booking, at: datetime, actor: User) -> None:
    """Billing's check-out of the booking's session, or the longer use of a resumed one.

    In a month closed meanwhile nothing may be charged: the session ends all the same and the
    booking stays checked in, among the forgotten check-outs its managers settle.
    """
    try:
        with db.session.begin_nested():
            if booking.status == BookingStatus.APPROVED and booking.checked_in_at is not None:
                check_out(actor, booking, at)
            elif booking.status == BookingStatus.COMPLETED:
                extend_use(actor, booking, at)
    except Conflict as refused:
        if refused.code != "closed_period":
            raise
