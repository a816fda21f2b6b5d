"""When each calendar feed, schedule or the catalog last changed, in whole seconds that only
ever rise: the version that feeds and the API's conditional GETs answer repeats from.

HTTP dates have one-second resolution and Apple Calendar revalidates with If-Modified-Since
alone, so two different contents of a feed must never share a Last-Modified second: each touch
moves the key's time to max(now, previous + 1 s), truncated to the second.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import chain

from sqlalchemy import String, bindparam, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from sharing.core.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.util.timeutil import utcnow

CHALLENGES_KEY = "challenges"
CATALOG_KEY = "catalog"
NEEDS_KEY = "needs"  # needs and experts: what matching ranks besides the catalog
TOUCHED = "touched_feeds"
# The version of a source that never changed.
NEVER_CHANGED = datetime(2026, 1, 1, tzinfo=UTC)


def instrument_key(instrument_id: int | None) -> str | None:
    """An instrument's schedule: its bookings, downtimes and open hours."""
    return None if instrument_id is None else f"instrument:{instrument_id}"


class FeedVersion(db.Model):
    """The last change time of one feed source (an instrument's schedule, the board)."""

    __tablename__ = "feed_versions"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


def next_version_time(previous: datetime | None, now: datetime) -> datetime:
    """A whole second, later than `previous`, not earlier than `now` (truncated)."""
    candidate = now.replace(microsecond=0)
    if previous is not None and candidate <= previous:
        candidate = previous.replace(microsecond=0) + timedelta(seconds=1)
    return candidate


_VERSION = FeedVersion.__table__.c
# Built once: this pair runs on every booking, and building them cost more than running them.
# A booking on PostgreSQL runs the write inside its own insert (bookings.services.inserting).
_READ = select(_VERSION.changed_at).where(_VERSION.key == bindparam("version_key"))
WRITE_VERSION = (
    update(FeedVersion.__table__)
    .where(_VERSION.key == bindparam("version_key"))
    .values(changed_at=bindparam("version_time", type_=UTCDateTime))
)


# `previous` of a touch whose caller did not read the version with its own reads.
UNREAD = object()


def touch(
    key: str, now: datetime | None = None, session: Session | None = None, previous=UNREAD
) -> datetime:
    """Record that the feed source changed; writers of one source are already serialised.

    Two plain statements (read, write), not an object loaded and flushed: this runs on every
    booking, and the flush of a loaded version cost more than both. A booking reads the version
    with its busy time (`previous`, None when the key has none yet), which spares the read.
    """
    session = session or db.session
    if previous is UNREAD:
        previous = session.scalar(_READ, {"version_key": key})
    changed_at = next_version_time(previous, now or utcnow())
    if previous is None:
        session.add(FeedVersion(key=key, changed_at=changed_at))
    else:
        session.execute(WRITE_VERSION, {"version_key": key, "version_time": changed_at})
    return changed_at


def latest(keys: list[str]) -> datetime | None:
    """The most recent change among `keys` (None when none ever changed)."""
    if not keys:
        return None
    return db.session.scalar(
        select(func.max(FeedVersion.changed_at)).where(FeedVersion.key.in_(keys))
    )


def first_touch(key: str, session: Session | None = None) -> bool:
    """True the first time a transaction asks for `key`: the caller then moves its version
    (by `touch`, or in a statement of its own), and no later change in the transaction does."""
    touched = (session or db.session).info.setdefault(TOUCHED, set())
    if key in touched:
        return False
    touched.add(key)
    return True


def touch_once(key: str, session: Session | None = None, previous=UNREAD) -> None:
    """Move a version for work that bypassed the unit of work (bulk inserts): once per
    transaction, as the flush hook below does for objects."""
    session = session or db.session
    if first_touch(key, session):
        with session.no_autoflush:
            touch(key, session=session, previous=previous)


def touch_all(keys, session: Session | None = None) -> None:
    """`touch_once` of several keys: their versions read in one statement and written in one
    (a loan of five instruments moved five schedules in ten statements)."""
    session = session or db.session
    keys = [key for key in sorted(set(keys)) if first_touch(key, session)]
    if len(keys) <= 1:
        for key in keys:
            with session.no_autoflush:
                touch(key, session=session)
        return
    with session.no_autoflush:
        previous = dict(
            session.execute(
                select(_VERSION.key, _VERSION.changed_at).where(_VERSION.key.in_(keys))
            ).all()
        )
        now = utcnow()
        writes = []
        for key in keys:
            changed_at = next_version_time(previous.get(key), now)
            if key in previous:
                writes.append({"version_key": key, "version_time": changed_at})
            else:
                session.add(FeedVersion(key=key, changed_at=changed_at))
        if writes:
            session.execute(WRITE_VERSION, writes)


@event.listens_for(Session, "before_flush")
def _touch_changed_sources(session: Session, _context, _instances) -> None:
    """Every new, changed or deleted object that names versions (`version_keys()`) moves them.

    A key may be None (an object whose parent has no id yet: its parent names the versions).
    """
    keys = {
        key
        for obj in chain(session.new, session.dirty, session.deleted)
        if hasattr(obj, "version_keys")
        and (obj in session.new or obj in session.deleted or session.is_modified(obj))
        for key in obj.version_keys()
        if key is not None
    }
    # Once per transaction: later flushes of the same change must not push the time ahead.
    touch_all(keys, session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(TOUCHED, None)
