"""The booker's standing the rules need: suspension, qualification, the bookings quotas count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
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
from sharing.bookings.policy import Requester, booked_by_week, weeks_touched
from sharing.core.dbtypes import UTCDateTime
from sharing.core.sqltime import earlier_of, later_of, microseconds_between
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.instruments.qualifications import training_standing
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval


def _mine():
    booking = Booking.__table__.c
    return and_(
        booking.user_id == bindparam("user_id"),
        booking.instrument_id == bindparam("instrument_id"),
        booking.status.in_(sorted(ACTIVE_STATUSES)),
    )


def _mine_in(name: str, type_=None):
    """The booker's active bookings on the instrument that meet [<name>_start, <name>_end),
    bounded on both sides (<name>_earliest: the start minus the longest booking, since the
    index orders starts), so the cost follows the span, not the booker's history."""
    booking = Booking.__table__.c
    start, end = bindparam(f"{name}_start", type_=type_), bindparam(f"{name}_end", type_=type_)
    return (
        start,
        end,
        and_(
            _mine(),
            booking.start >= bindparam(f"{name}_earliest", type_=type_),
            booking.start < end,
            booking.end > start,
        ),
    )


def _standing_arms():
    """The booker's facts as arms of one statement, built once from bound parameters: the
    active bookings in the quota weeks, the upcoming ones counted up to the cap, and whether a
    suspension stands. Rows are (kind, ref, start, end), the shape of the busy-time arms."""
    booking, suspension = Booking.__table__.c, Suspension.__table__.c
    no_time = type_coerce(null(), UTCDateTime)
    mine = _mine()
    own = select(literal("own"), booking.id, booking.start, booking.end).where(_mine_in("quota")[2])
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


# Up to this many quota weeks are summed in SQL, one row each; a longer span (a window of
# free slots) reads the bookings themselves and sums them here.
WEEKS_SUMMED_IN_SQL = 8


@cache
def week_arms(count: int) -> tuple[Select, ...]:
    """Arms that sum the booker's booked time in each of `count` weeks (week_<n>_start/end),
    as (kind "week", microseconds, week start, NULL) rows: one row a week however many
    bookings it holds."""
    booking = Booking.__table__.c
    no_time = type_coerce(null(), UTCDateTime)
    arms = []
    for number in range(count):
        start, end, mine_in_week = _mine_in(f"week_{number}", UTCDateTime)
        booked = microseconds_between(earlier_of(booking.end, end), later_of(booking.start, start))
        arms.append(
            select(literal("week"), cast(func.sum(booked), BigInteger), start, no_time).where(
                mine_in_week
            )
        )
    return tuple(arms)


def _week_params(weeks: list[Interval]) -> dict:
    params = {}
    for number, week in enumerate(weeks):
        params[f"week_{number}_start"] = week.start
        params[f"week_{number}_end"] = week.end
        params[f"week_{number}_earliest"] = week.start - LONGEST_BLOCK
    return params


def _own_params(user_id: int, instrument_id: int, span: Interval) -> dict:
    return {
        "user_id": user_id,
        "instrument_id": instrument_id,
        "quota_start": span.start,
        "quota_end": span.end,
        "quota_earliest": span.start - LONGEST_BLOCK,
    }


def _quota_arms(user_id: int, instrument_id: int, weeks: list[Interval]) -> tuple[tuple, dict]:
    """The arms and parameters that read the booker's booked time in `weeks`."""
    params = {"user_id": user_id, "instrument_id": instrument_id}
    if len(weeks) > WEEKS_SUMMED_IN_SQL:
        span = Interval(weeks[0].start, weeks[-1].end)
        return (OWN,), params | _own_params(user_id, instrument_id, span)
    return week_arms(len(weeks)), params | _week_params(weeks)


def booked_in_weeks(
    user_id: int, instrument_id: int, wanted: Sequence[Interval]
) -> dict[datetime, timedelta]:
    """The booker's booked time on the instrument in each week that `wanted` touches."""
    weeks = quota_weeks(wanted)
    arms, params = _quota_arms(user_id, instrument_id, weeks)
    return _booked(db.session.execute(union_of(arms), params), weeks)


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


def quota_weeks(wanted: Sequence[Interval]) -> list[Interval]:
    """The local weeks that the wanted intervals touch, in order, each once."""
    zone = platform_zone()
    weeks = {week.start: week for interval in wanted for week in weeks_touched(interval, zone)}
    return [weeks[start] for start in sorted(weeks)]


def _booked(rows, weeks: list[Interval]) -> dict[datetime, timedelta]:
    """Booked time by week from rows of the week arms or of OWN (rows of other kinds aside);
    every week asked about is present."""
    booked = dict.fromkeys((week.start for week in weeks), timedelta(0))
    own = []
    for kind, ref, start, end in rows:
        if kind == "week" and ref:
            booked[start] += timedelta(microseconds=int(ref))
        elif kind == "own":
            own.append(Interval(start, end))
    if own:
        asked = booked_by_week(own, platform_zone())
        booked |= {start: asked.get(start, timedelta(0)) for start in booked}
    return booked


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
    weeks: list[Interval]  # the quota weeks read; none when no weekly quota binds

    def requester(self, rows) -> Requester:
        """The Requester from the rows of `arms` (rows of other kinds are passed over)."""
        rows = list(rows)
        upcoming, suspended = 0, False
        for kind, ref, _start, _end in rows:
            if kind == "upcoming":
                upcoming = ref or 0
            elif kind == "suspended":
                suspended = bool(ref)
        standing = training_standing(self.booker, self.instrument, self.now)
        return Requester(
            suspended=suspended,
            qualified=standing == "qualified",
            qualification_lapsed=standing == "expired",
            may_override=self.on_behalf,
            booked_by_week=_booked(rows, self.weeks) if self.weeks else {},
            future_bookings=upcoming,
        )


def standing_read(
    booker: User,
    instrument: Instrument,
    on_behalf: bool,
    now: datetime,
    wanted: Sequence[Interval],
) -> StandingRead:
    """What to read for requests of the `wanted` times (a booking's occurrences, or a window
    that free slots are looked for in).

    Quotas bind neither managers booking on someone's behalf nor instruments without them:
    their counts are only read where a rule will look at them.
    """
    rules = instrument.booking_rules()
    arms = [SUSPENDED]
    params = {"user_id": booker.id, "organisation_id": instrument.organisation_id}
    weeks = []
    if not on_behalf and rules.max_hours_per_week is not None:
        weeks = quota_weeks(wanted)
        quota_arms, quota_params = _quota_arms(booker.id, instrument.id, weeks)
        arms += quota_arms
        params |= quota_params
    if not on_behalf and rules.max_future_bookings is not None:
        arms.append(UPCOMING)
        params |= _upcoming_params(booker.id, instrument.id, now, rules.max_future_bookings)
    return StandingRead(booker, instrument, on_behalf, now, tuple(arms), params, weeks)


def requester_for(
    booker: User,
    instrument: Instrument,
    on_behalf: bool,
    now: datetime,
    wanted: Sequence[Interval],
) -> Requester:
    """The facts about the booker that the pure rules need, for requests of the `wanted` times."""
    read = standing_read(booker, instrument, on_behalf, now, wanted)
    return read.requester(db.session.execute(union_of(read.arms), read.params))
