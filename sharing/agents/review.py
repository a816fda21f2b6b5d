"""What the managers do with what the agents report: bill or dismiss unbooked use, end the
sessions and check-outs people forgot, and list sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sharing.agents.access import can_review_sessions, reviewed_instruments
from sharing.agents.models import InstrumentAgent
from sharing.agents.sessions import finish, moment
from sharing.auth.models import User
from sharing.billing.models import Charge, SessionStatus, UsageSession
from sharing.billing.services import check_out, record_usage
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.bookings.services import book_recorded_use
from sharing.core.errors import Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.core.pagination import Page, page_count
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import Interval, utcnow


@dataclass(frozen=True)
class SessionQuery:
    instrument_id: int | None = None
    status: SessionStatus | None = None
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    per_page: int = 20


def list_sessions(actor: User, query: SessionQuery) -> Page:
    """Sessions of the instruments the actor reviews, newest first."""
    statement = select(UsageSession).where(
        UsageSession.instrument_id.in_(reviewed_instruments(actor))
    )
    if query.instrument_id is not None:
        statement = statement.where(UsageSession.instrument_id == query.instrument_id)
    if query.status is not None:
        statement = statement.where(UsageSession.status == query.status)
    if query.start is not None:
        statement = statement.where(
            func.coalesce(UsageSession.ended_at, query.start) >= query.start
        )
    if query.end is not None:
        statement = statement.where(UsageSession.started_at < query.end)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page = min(query.page, page_count(total, query.per_page))
    items = db.session.scalars(
        statement.options(joinedload(UsageSession.user), joinedload(UsageSession.instrument))
        .order_by(UsageSession.started_at.desc(), UsageSession.id.desc())
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    ).all()
    return Page(items=list(items), total=total, page=page, per_page=query.per_page)


def get_reviewed_session(actor: User, session_id: int) -> UsageSession:
    """A session of an instrument the actor reviews; 404 for every other."""
    session = db.session.get(UsageSession, session_id)
    if session is None or not can_review_sessions(actor, session.instrument):
        raise NotFound("No session %(id)s.", {"id": session_id})
    return session


def _pending(session: UsageSession) -> UsageSession:
    lock_row(session)
    if session.status != SessionStatus.UNBOOKED:
        raise Conflict(
            "Only ended use without a booking waits for a decision.",
            code="invalid_state",
            status=session.status.value,
        )
    return session


def confirm_unbooked(actor: User, session: UsageSession, note: str = "", now=None) -> Charge | None:
    """Bill unbooked use: a confirmed booking of the times used is made for the person and
    completed with that use, so it is charged as any booking (billable time: the greater of
    booked and used, rounded up to the increment; here both are the time used)."""
    _pending(session)
    used = Interval(session.started_at, session.ended_at)
    booking = book_recorded_use(
        actor, session.instrument_id, session.user, used, note.strip() or "unbooked use"
    )
    charge = record_usage(actor, booking, used.start, used.end, None, now=now)
    session.booking_id = booking.id
    _decided(session, actor, SessionStatus.CONFIRMED, note, now)
    return charge


def dismiss_unbooked(actor: User, session: UsageSession, reason: str = "", now=None) -> None:
    """Not to be billed (the lab's own maintenance, a test login): kept, counted as no use."""
    _pending(session)
    _decided(session, actor, SessionStatus.DISMISSED, reason, now)


def _decided(session: UsageSession, actor: User, status: SessionStatus, note: str, now) -> None:
    session.status = status
    session.reviewed_by_id = actor.id
    session.reviewed_at = now or utcnow()
    session.review_note = note.strip()
    db.session.flush()


def end_for_person(
    actor: User, session: UsageSession, at: datetime | None = None, now=None
) -> UsageSession:
    """A manager ends a session the person left open (their PC still logged in): the same end
    as the agent's, checked out by the manager."""
    if not can_review_sessions(actor, session.instrument):
        raise NotFound("No session %(id)s.", {"id": session.id})
    at = moment(at, now or utcnow())
    lock_row(db.session.get(InstrumentAgent, session.agent_id))  # as the agent's own calls do
    return finish(session, at, actor)


def settle_forgotten(actor: User, booking: Booking, at: datetime, now=None) -> None:
    """A checked-in booking nobody checked out: end it at `at`, with its open session if the
    instrument's agent has one, else by billing's check-out alone."""
    if not can_review_sessions(actor, booking.instrument):
        raise Forbidden("Only the instrument's managers settle forgotten check-outs.")
    session = db.session.scalar(
        select(UsageSession).where(
            UsageSession.booking_id == booking.id, UsageSession.ended_at.is_(None)
        )
    )
    if session is not None:
        end_for_person(actor, session, at, now)
    else:
        check_out(actor, booking, moment(at, now or utcnow()))


@dataclass(frozen=True)
class Forgotten:
    """A booking checked in and not out after its end; its open session, if any."""

    booking: Booking
    session: UsageSession | None


def forgotten_checkouts(actor: User, now: datetime | None = None) -> list[Forgotten]:
    """Checked-in bookings of the actor's instruments whose end has passed, oldest first."""
    now = now or utcnow()
    bookings = db.session.scalars(
        select(Booking)
        .where(
            Booking.instrument_id.in_(reviewed_instruments(actor)),
            Booking.status == BookingStatus.APPROVED,
            Booking.checked_in_at.is_not(None),
            Booking.end <= now,
        )
        .options(joinedload(Booking.user), joinedload(Booking.instrument))
        .order_by(Booking.end)
        .limit(200)
    ).all()
    ids = [booking.id for booking in bookings]
    sessions = (
        {
            s.booking_id: s
            for s in db.session.scalars(
                select(UsageSession).where(
                    UsageSession.booking_id.in_(ids), UsageSession.ended_at.is_(None)
                )
            )
        }
        if ids
        else {}
    )
    return [Forgotten(booking, sessions.get(booking.id)) for booking in bookings]


def unbooked_waiting(actor: User) -> list[UsageSession]:
    """Unbooked use of the actor's instruments: going on now or waiting for a decision."""
    statement = (
        select(UsageSession)
        .where(
            UsageSession.instrument_id.in_(reviewed_instruments(actor)),
            UsageSession.booking_id.is_(None),
            UsageSession.status.in_((SessionStatus.OPEN, SessionStatus.UNBOOKED)),
        )
        .options(joinedload(UsageSession.user), joinedload(UsageSession.instrument))
        .order_by(UsageSession.started_at)
        .limit(200)
    )
    return list(db.session.scalars(statement))


def instruments_reviewed(actor: User) -> list[Instrument]:
    """The instruments whose use the actor reviews, by name."""
    statement = select(Instrument).where(Instrument.id.in_(reviewed_instruments(actor)))
    return list(db.session.scalars(statement.order_by(Instrument.name)))
