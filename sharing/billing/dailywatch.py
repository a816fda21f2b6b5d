"""Keeping the daily rollup exact: whatever changes a day the rollup already holds recomputes
that day from the rows, in the same flush (so in the same transaction) as the change.

Every flush is looked at (as the feed versions are): new, changed and deleted bookings and
usage sessions name the days their times touch, before and after the change; a person who
changes organisation, or an instrument that changes owner, changes who counts as served from
outside on every day of their use. Only days before today can be rolled up (the job rolls up
days once they end), so a change of today or the future costs nothing: the mark is read only
when an earlier day changed. Bookings are created by core statements
(`bookings.services.inserting`) for times to come, which the rollup does not hold yet.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

from sqlalchemy import event, func, inspect, select, union_all
from sqlalchemy.orm import Session

from sharing.auth.models import User
from sharing.billing import daily
from sharing.billing.models import UsageSession
from sharing.bookings.models import Booking
from sharing.bookings.signals import bookings_inserted
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import utcnow

_KEY = "rollup_changes"
_BOOKING_FIELDS = (
    "instrument_id",
    "start",
    "end",
    "status",
    "used_start",
    "used_end",
    "samples",
    "order_id",
    "customer_org_id",
    "user_id",
)
_SESSION_FIELDS = ("instrument_id", "started_at", "ended_at", "status", "booking_id", "user_id")


class Changes:
    """What one transaction's flushes changed that the rollup may hold."""

    def __init__(self):
        self.days: set[tuple[int, object]] = set()
        self.bookings_of_sessions: set[int] = set()
        self.users: set[int] = set()
        self.instruments: set[int] = set()

    def __bool__(self):
        return bool(self.days or self.bookings_of_sessions or self.users or self.instruments)


def _versions(obj, fields: tuple[str, ...], new: bool, deleted: bool) -> list[dict]:
    """The object's values of the fields before and after (one version when unchanged, new or
    deleted); none when no field changed."""
    state = inspect(obj)
    now = {name: getattr(obj, name) for name in fields}
    if new or deleted:
        return [now]
    before, changed = dict(now), False
    for name in fields:
        history = state.attrs[name].history
        if history.deleted:
            before[name], changed = history.deleted[0], True
        elif history.added:
            changed = True
    return [before, now] if changed else []


def _moved(obj) -> bool:
    """A person or an instrument whose organisation changed."""
    return bool(_versions(obj, ("organisation_id",), False, False))


def _add_days(changes: Changes, instrument_id, start, end) -> None:
    if instrument_id is None or start is None or end is None:
        return
    for day in daily.days_of(start, end):
        changes.days.add((instrument_id, day))


def _collect(session: Session, _context, _instances) -> None:
    changes = session.info.get(_KEY) or Changes()
    for obj in chain(session.new, session.dirty, session.deleted):
        new, deleted = obj in session.new, obj in session.deleted
        if isinstance(obj, Booking):
            for values in _versions(obj, _BOOKING_FIELDS, new, deleted):
                _add_days(changes, values["instrument_id"], values["start"], values["end"])
                _add_days(
                    changes, values["instrument_id"], values["used_start"], values["used_end"]
                )
        elif isinstance(obj, UsageSession):
            for values in _versions(obj, _SESSION_FIELDS, new, deleted):
                _add_days(
                    changes, values["instrument_id"], values["started_at"], values["ended_at"]
                )
                if values["booking_id"] is not None:
                    # an ended session replaces its booking's recorded use, and back
                    changes.bookings_of_sessions.add(values["booking_id"])
        elif (
            isinstance(obj, User) and not new and _versions(obj, ("organisation_id",), False, False)
        ):
            changes.users.add(obj.id)
        elif (
            isinstance(obj, Instrument)
            and not new
            and _versions(obj, ("organisation_id",), False, False)
        ):
            changes.instruments.add(obj.id)
    today = daily.day_of(utcnow())
    changes.days = {(i, day) for i, day in changes.days if day < today}
    if changes:
        session.info[_KEY] = changes


def _ranges_of_people(user_ids: set[int]):
    """(instrument, first use, last use) of the people's bookings and sessions."""
    bookings = (
        select(Booking.instrument_id, func.min(Booking.start), func.max(Booking.end))
        .where(Booking.user_id.in_(user_ids))
        .group_by(Booking.instrument_id)
    )
    sessions = (
        select(
            UsageSession.instrument_id,
            func.min(UsageSession.started_at),
            func.max(UsageSession.ended_at),
        )
        .where(UsageSession.user_id.in_(user_ids), UsageSession.ended_at.is_not(None))
        .group_by(UsageSession.instrument_id)
    )
    return union_all(bookings, sessions)


def _ranges(session: Session, changes: Changes, through) -> dict[int, list]:
    """The days to recompute, per instrument (some may lie after the mark)."""
    ranges: dict[int, list] = defaultdict(list)
    for instrument_id, day in changes.days:
        ranges[instrument_id].append(day)
    if changes.bookings_of_sessions:
        used = select(Booking.instrument_id, Booking.used_start, Booking.used_end).where(
            Booking.id.in_(changes.bookings_of_sessions), Booking.used_start.is_not(None)
        )
        for instrument_id, start, end in session.execute(used):
            ranges[instrument_id].extend(daily.days_of(start, end or start))
    if changes.users:
        for instrument_id, start, end in session.execute(_ranges_of_people(changes.users)):
            if start is not None and end is not None:
                ranges[instrument_id].extend((daily.day_of(start), daily.day_of(end)))
    first = daily.first_day_of_rows() if changes.instruments else None
    for instrument_id in changes.instruments if first is not None else ():
        ranges[instrument_id].extend((first, through))
    return ranges


def _recompute(session: Session, _context) -> None:
    changes = session.info.pop(_KEY, None)
    if not changes:
        return
    with session.no_autoflush:
        through = daily.marked_through(lock=True)
        if through is None:
            return
        for instrument_id, days in sorted(_ranges(session, changes, through).items()):
            days = [day for day in days if day <= through]
            if days:
                daily.replace(min(days), max(days), [instrument_id])
                daily.days_rolled_up.send(
                    instrument_ids=[instrument_id],
                    first=min(days),
                    last=max(days),
                    through=through,
                )


def bookings_written(_sender=None, bookings=()) -> None:
    """Bookings written by core statements: the days before today they touch are recomputed
    (none for a request, which is for times to come)."""
    changes = Changes()
    for booking in bookings:
        _add_days(changes, booking.instrument_id, booking.start, booking.end)
    today = daily.day_of(utcnow())
    changes.days = {(i, day) for i, day in changes.days if day < today}
    if changes:
        db.session.info[_KEY] = changes
        _recompute(db.session(), None)


def install_rollup_watch() -> None:
    """Listen to every session's flushes and to the bookings written without them (once per
    process, whatever the apps made)."""
    bookings_inserted.connect(bookings_written)
    if not event.contains(Session, "before_flush", _collect):
        event.listen(Session, "before_flush", _collect)
        event.listen(Session, "after_flush_postexec", _recompute)
        event.listen(Session, "after_rollback", _forget)


def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
