"""The booker's standing the rules need: suspension, qualification, the bookings quotas count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)

from sharing.auth.models import User
from sharing.bookings.lifecycle import ACTIVE_STATUSES
from sharing.bookings.models import LONGEST_BLOCK, Booking, Suspension
from sharing.bookings.policy import Requester, week_of
from sharing.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.formatting import platform_zone
from sharing.instruments.models import Instrument
from sharing.instruments.services import training_standing
from sharing.timeutil import Interval


def _standing_arms():
    """The booker's facts as arms of one statement, built once from bound parameters: the
    active bookings in the quota weeks, the upcoming ones counted up to the cap, and whether a
    suspension stands. Rows are (kind, ref, start, end), the shape of the busy-time arms."""
    booking, suspension = Booking.__table__.c, Suspension.__table__.c
    no_time = type_coerce(null(), UTCDateTime)
    mine = and_(
        booking.user_id == bindparam("user_id"),
        booking.instrument_id == bindparam("instrument_id"),
        booking.status.in_(sorted(ACTIVE_STATUSES)),
    )
    own = select(literal("own"), booking.id, booking.start, booking.end).where(
        mine,
        booking.start >= bindparam("quota_earliest"),
        booking.start < bindparam("quota_end"),
        booking.end > bindparam("quota_start"),
    )
    not_ended = (
        select(booking.id)
        .where(
            mine,
            booking.start >= bindparam("upcoming_earliest"),
            booking.end > bindparam("upcoming_now"),
        )
        .limit(bindparam("cap", type_=Integer))
        .subquery()
    )
    upcoming = select(literal("upcoming"), func.count(), no_time, no_time).select_from(not_ended)
    suspended = select(literal("suspended"), func.count(suspension.id), no_time, no_time).where(
        suspension.user_id == bindparam("user_id"),
        suspension.organisation_id == bindparam("organisation_id"),
        suspension.lifted_at.is_(None),
    )
    return own, upcoming, suspended


OWN, UPCOMING, SUSPENDED = _standing_arms()


@cache
def union_of(arms: tuple[Select, ...]):
    """One statement of prebuilt arms, built once per combination."""
    return arms[0] if len(arms) == 1 else union_all(*arms)


def own_intervals(user_id: int, instrument_id: int, span: Interval) -> tuple[Interval, ...]:
    """The booker's active bookings on the instrument that meet `span` (the weeks quotas count).

    Bounded on both sides, so its cost follows the span, not the booker's history.
    """
    rows = db.session.execute(OWN, _own_params(user_id, instrument_id, span))
    return tuple(Interval(start, end) for _kind, _ref, start, end in rows)


def _own_params(user_id: int, instrument_id: int, span: Interval) -> dict:
    return {
        "user_id": user_id,
        "instrument_id": instrument_id,
        "quota_start": span.start,
        "quota_end": span.end,
        "quota_earliest": span.start - LONGEST_BLOCK,
    }


def _upcoming_params(user_id: int, instrument_id: int, now: datetime, cap: int) -> dict:
    return {
        "user_id": user_id,
        "instrument_id": instrument_id,
        "upcoming_now": now,
        "upcoming_earliest": now - LONGEST_BLOCK,
        "cap": cap,
    }


def future_bookings(user_id: int, instrument_id: int, now: datetime, cap: int) -> int:
    """How many of the booker's active bookings on the instrument have not ended, up to `cap`.

    The rule only asks whether the cap is reached: counting stops there.
    """
    row = db.session.execute(UPCOMING, _upcoming_params(user_id, instrument_id, now, cap)).one()
    return row[1] or 0


def quota_weeks(span: Interval) -> Interval:
    """From the start of the week of `span.start` to the end of the week of `span.end`."""
    zone = platform_zone()
    return Interval(week_of(span.start, zone).start, week_of(span.end, zone).end)


def is_suspended(user: User, organisation_id: int) -> bool:
    """Whether the user's booking rights on this organisation's instruments are suspended."""
    params = {"user_id": user.id, "organisation_id": organisation_id}
    return bool(db.session.execute(SUSPENDED, params).one()[1])


@dataclass(frozen=True)
class StandingRead:
    """What reading a booker's standing asks of the database, to run alone or as arms of a
    larger statement (a booking request reads it with the busy time in one round trip)."""

    booker: User
    instrument: Instrument
    on_behalf: bool
    now: datetime
    arms: tuple[Select, ...]
    params: dict

    def requester(self, rows) -> Requester:
        """The Requester from the rows of `arms` (rows of other kinds are passed over)."""
        own, upcoming, suspended = [], 0, False
        for kind, ref, start, end in rows:
            if kind == "own":
                own.append(Interval(start, end))
            elif kind == "upcoming":
                upcoming = ref or 0
            elif kind == "suspended":
                suspended = bool(ref)
        standing = training_standing(self.booker, self.instrument, self.now)
        return Requester(
            suspended=suspended,
            qualified=standing == "qualified",
            qualification_lapsed=standing == "expired",
            may_override=self.on_behalf,
            own_bookings=tuple(own),
            future_bookings=upcoming,
        )


def standing_read(
    booker: User, instrument: Instrument, on_behalf: bool, now: datetime, span: Interval
) -> StandingRead:
    """What to read for requests inside `span`.

    Quotas bind neither managers booking on someone's behalf nor instruments without them:
    their counts are only read where a rule will look at them.
    """
    rules = instrument.booking_rules()
    arms = [SUSPENDED]
    params = {"user_id": booker.id, "organisation_id": instrument.organisation_id}
    if not on_behalf and rules.max_hours_per_week is not None:
        arms.append(OWN)
        params |= _own_params(booker.id, instrument.id, quota_weeks(span))
    if not on_behalf and rules.max_future_bookings is not None:
        arms.append(UPCOMING)
        params |= _upcoming_params(booker.id, instrument.id, now, rules.max_future_bookings)
    return StandingRead(booker, instrument, on_behalf, now, tuple(arms), params)


def requester_for(
    booker: User, instrument: Instrument, on_behalf: bool, now: datetime, span: Interval
) -> Requester:
    """The facts about the booker that the pure rules need, for requests inside `span`."""
    read = standing_read(booker, instrument, on_behalf, now, span)
    return read.requester(db.session.execute(union_of(read.arms), read.params))
