"""What each feed contains and when it last changed (the version lookup needs no feed build)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from sharing.bookings.lifecycle import ACTIVE_STATUSES
from sharing.bookings.models import Booking
from sharing.bookings.services import load_busy
from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Challenge
from sharing.core.feedversions import CHALLENGES_KEY, instrument_key, latest
from sharing.extensions import db
from sharing.instruments.access import managed_instruments
from sharing.instruments.models import Instrument
from sharing.loans.services import loan_busy, loans_of_user_feed
from sharing.util.timeutil import Interval, utcnow

HISTORY = timedelta(days=180)  # feeds show half a year back and everything ahead
AHEAD = timedelta(days=800)


def personal_bookings(user) -> list[Booking]:
    """The user's active bookings, and a manager's instruments' active bookings."""
    statement = (
        select(Booking)
        .where(
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start >= utcnow() - HISTORY,
            or_(Booking.user_id == user.id, Booking.instrument_id.in_(managed_instruments(user))),
        )
        .options(
            joinedload(Booking.instrument).joinedload(Instrument.organisation),
            joinedload(Booking.user),
        )
        .order_by(Booking.start)
    )
    return list(db.session.scalars(statement).unique())


def personal_loans(user):
    """The loans the user borrowed or goes with as an operator; a manager's instruments'."""
    return [loan for loan, _item in loans_of_user_feed(user)]


def personal_version(user) -> datetime | None:
    """The latest change of any instrument schedule the personal feed draws from."""
    booked = select(Booking.instrument_id).where(Booking.user_id == user.id).distinct()
    ids = set(db.session.scalars(booked)) | set(db.session.scalars(managed_instruments(user)))
    ids |= {item.instrument_id for loan in personal_loans(user) for item in loan.items}
    return latest([instrument_key(i) for i in ids])


def public_busy(instrument: Instrument):
    now = utcnow()
    return sorted(load_busy(instrument.id, Interval(now - HISTORY, now + AHEAD)))


def public_loan_days(instrument: Instrument):
    now = utcnow()
    return sorted(loan_busy(instrument.id, Interval(now - HISTORY, now + AHEAD)))


def instrument_version(instrument_id: int) -> datetime | None:
    return latest([instrument_key(instrument_id)])


def open_challenges() -> list[Challenge]:
    statement = (
        select(Challenge)
        .where(Challenge.status == ChallengeStatus.OPEN)
        .options(joinedload(Challenge.organisation))
        .order_by(Challenge.deadline)
    )
    return list(db.session.scalars(statement))


def challenges_version() -> datetime | None:
    return latest([CHALLENGES_KEY])
