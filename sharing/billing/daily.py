"""The daily rollup of each instrument's use (issue 36): what the year-long reports sum, per
instrument and day of the platform's calendar, so that a year is read as 365 rows per
instrument instead of every booking and session of the year.

A day holds the measure of the union of its booked stretches (`booked_us`) and of its stretches
of real use (`used_us`), the plain sum of those stretches (`use_us`) and the part for other
organisations than the owner (`external_us`), all clipped to the day, in whole microseconds;
and the samples of the completed bookings that began that day (sample runs are counted with
their orders). Each is additive over days: a report of whole days sums them, exactly the
figures computed from the rows.

The rollup holds every day up to `RollupMark.through` (a row missing is a day with nothing):
the job fills the days that end, the migration and the seeding fill the past, and whatever
changes a day at or before the mark recomputes that day in the same transaction
(`sharing.billing.dailywatch`). The reports read the rollup for whole days up to the mark and
the rows themselves for the rest (a partial first day, today, the future).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from blinker import Namespace
from sqlalchemy import BigInteger, Date, ForeignKey, Integer, delete, func, insert, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from sharing.billing.models import UsageSession
from sharing.billing.realuse import real_use
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, utcnow

# Sent after days were recomputed, with instrument_ids= (None: all), first=, last= and
# through= (the mark): what is kept of those days elsewhere follows (the assessment's people).
days_rolled_up = Namespace().signal("days-rolled-up")

BOOKED = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
DAY = timedelta(days=1)
MICROSECOND = timedelta(microseconds=1)
FIGURES = ("booked_us", "used_us", "use_us", "external_us", "samples")
# Days recomputed at a time by `fill`: a month's rows at ten times the demo fit in memory.
CHUNK_DAYS = 31


class InstrumentDay(db.Model):
    """One instrument's day: booked and used time, use for others and samples."""

    __tablename__ = "instrument_days"

    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    booked_us: Mapped[int] = mapped_column(BigInteger, default=0)
    used_us: Mapped[int] = mapped_column(BigInteger, default=0)
    use_us: Mapped[int] = mapped_column(BigInteger, default=0)
    external_us: Mapped[int] = mapped_column(BigInteger, default=0)
    samples: Mapped[int] = mapped_column(Integer, default=0)


class InstrumentMonth(db.Model):
    """The sums of an instrument's days of one month (`month`: its first day): what a year's
    report reads for its whole months, twelve rows per instrument."""

    __tablename__ = "instrument_months"

    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    booked_us: Mapped[int] = mapped_column(BigInteger, default=0)
    used_us: Mapped[int] = mapped_column(BigInteger, default=0)
    use_us: Mapped[int] = mapped_column(BigInteger, default=0)
    external_us: Mapped[int] = mapped_column(BigInteger, default=0)
    samples: Mapped[int] = mapped_column(Integer, default=0)


class RollupMark(db.Model):
    """The last day the rollup holds (one row, id 1): days after it are read from the rows."""

    __tablename__ = "rollup_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    through: Mapped[date] = mapped_column(Date)


def day_start(day: date) -> datetime:
    """The first instant of a day of the platform's calendar."""
    return datetime.combine(day, time(0), platform_zone())


def day_of(moment: datetime) -> date:
    return moment.astimezone(platform_zone()).date()


def days_of(start: datetime, end: datetime) -> Iterable[date]:
    """The days of the platform's calendar that [start, end) touches."""
    if end <= start:
        return
    day, last = day_of(start), day_of(end - MICROSECOND)
    while day <= last:
        yield day
        day += DAY


def yesterday(now: datetime | None = None) -> date:
    return day_of(now or utcnow()) - DAY


def marked_through(lock: bool = False) -> date | None:
    """The last day the rollup holds (None: it holds none). `lock` serialises the writers of
    the rollup: the fill and a change of a day already rolled up."""
    statement = select(RollupMark.through).where(RollupMark.id == 1)
    if lock:
        statement = statement.with_for_update()
    return db.session.scalar(statement)


def _split(start: datetime, end: datetime, found: dict, key_extra=None):
    """Add [start, end) to `found`, cut at the platform's midnights, keyed by (day, extra)."""
    for day in days_of(start, end):
        first, after = day_start(day), day_start(day + DAY)
        piece = (max(start, first), min(end, after))
        if piece[1] > piece[0]:
            found[(day, key_extra)].append(piece)


def _union_us(stretches: list[tuple[datetime, datetime]]) -> int:
    """Microseconds of the union of the stretches."""
    total, reach = 0, None
    for start, end in sorted(stretches):
        if reach is not None and start < reach:
            start = reach
        if end > start:
            total += (end - start) // MICROSECOND
            reach = end
    return total


def compute(first: date, last: date, instrument_ids: list[int] | None = None) -> dict:
    """The rollup's figures from the rows, per (instrument, day) for the days first..last: a
    dict of (instrument_id, day) -> {figure: value}, days of nothing left out."""
    window = Interval(day_start(first), day_start(last + DAY))
    owners = select(Instrument.id, Instrument.organisation_id)
    booked = select(Booking.instrument_id, Booking.start, Booking.end).where(
        Booking.status.in_(BOOKED), Booking.start < window.end, Booking.end > window.start
    )
    samples = select(Booking.instrument_id, Booking.used_start, Booking.samples).where(
        Booking.status == BookingStatus.COMPLETED,
        Booking.order_id.is_(None),
        Booking.used_start >= window.start,
        Booking.used_start < window.end,
        Booking.samples > 0,
    )
    chosen = None
    if instrument_ids is not None:
        owners = owners.where(Instrument.id.in_(instrument_ids))
        booked = booked.where(Booking.instrument_id.in_(instrument_ids))
        samples = samples.where(Booking.instrument_id.in_(instrument_ids))
        chosen = select(Instrument.id).where(Instrument.id.in_(instrument_ids))
    owner_of = dict(db.session.execute(owners).all())
    figures: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))

    stretches: dict = defaultdict(list)
    for instrument_id, start, end in db.session.execute(booked):
        _split(max(start, window.start), min(end, window.end), stretches, instrument_id)
    for (day, instrument_id), pieces in stretches.items():
        figures[(instrument_id, day)]["booked_us"] = _union_us(pieces)

    stretches = defaultdict(list)
    for use in real_use(window, chosen):
        pieces: dict = defaultdict(list)
        _split(use.start, use.end, pieces, use.instrument_id)
        external = use.served_org_id != owner_of.get(use.instrument_id)
        for (day, instrument_id), cut in pieces.items():
            stretches[(day, instrument_id)].extend(cut)
            seconds = sum((end - start) // MICROSECOND for start, end in cut)
            figures[(instrument_id, day)]["use_us"] += seconds
            if external:
                figures[(instrument_id, day)]["external_us"] += seconds
    for (day, instrument_id), pieces in stretches.items():
        figures[(instrument_id, day)]["used_us"] = _union_us(pieces)

    for instrument_id, used_start, count in db.session.execute(samples):
        figures[(instrument_id, day_of(used_start))]["samples"] += int(count or 0)
    return {key: value for key, value in figures.items() if any(value.values())}


def replace(first: date, last: date, instrument_ids: list[int] | None = None) -> int:
    """Recompute the days first..last (of the instruments, or of all) from the rows; the
    number of rows written."""
    figures = compute(first, last, instrument_ids)
    drop = delete(InstrumentDay).where(InstrumentDay.day >= first, InstrumentDay.day <= last)
    if instrument_ids is not None:
        drop = drop.where(InstrumentDay.instrument_id.in_(instrument_ids))
    db.session.execute(drop)
    rows = [
        {"instrument_id": instrument_id, "day": day, **values}
        for (instrument_id, day), values in sorted(figures.items())
    ]
    if rows:
        db.session.execute(insert(InstrumentDay), rows)
    month = first.replace(day=1)
    while month <= last:
        _sum_month(month, instrument_ids)
        month = next_month(month)
    return len(rows)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _sum_month(month: date, instrument_ids: list[int] | None) -> None:
    """The month's row of each instrument (or of the given ones) from its days."""
    drop = delete(InstrumentMonth).where(InstrumentMonth.month == month)
    days = select(
        InstrumentDay.instrument_id,
        literal(month, Date),
        *(func.sum(getattr(InstrumentDay, figure)) for figure in FIGURES),
    ).where(InstrumentDay.day >= month, InstrumentDay.day < next_month(month))
    if instrument_ids is not None:
        drop = drop.where(InstrumentMonth.instrument_id.in_(instrument_ids))
        days = days.where(InstrumentDay.instrument_id.in_(instrument_ids))
    db.session.execute(drop)
    db.session.execute(
        insert(InstrumentMonth).from_select(
            ["instrument_id", "month", *FIGURES], days.group_by(InstrumentDay.instrument_id)
        )
    )


def first_day_of_rows() -> date | None:
    """The first day any booking or session touches (None: no history)."""
    starts = [
        db.session.scalar(select(Booking.start).order_by(Booking.start).limit(1)),
        db.session.scalar(
            select(UsageSession.started_at).order_by(UsageSession.started_at).limit(1)
        ),
    ]
    starts = [start for start in starts if start is not None]
    return day_of(min(starts)) if starts else None


def fill(through: date | None = None) -> int:
    """Roll the days after the mark up to `through` (yesterday by default), a month at a time,
    and move the mark; the days already rolled up stay as their changes left them. The
    number of days rolled up."""
    through = through or yesterday()
    mark = db.session.get(RollupMark, 1, with_for_update=True)
    first = mark.through + DAY if mark else first_day_of_rows()
    if first is None:
        first = through + DAY
    day = first
    while day <= through:
        last = min(day + timedelta(days=CHUNK_DAYS - 1), through)
        replace(day, last)
        day = last + DAY
    if mark is None:
        db.session.add(RollupMark(id=1, through=max(through, first - DAY)))
    elif through > mark.through:
        mark.through = through
    db.session.flush()
    if first <= through:
        days_rolled_up.send(instrument_ids=None, first=first, last=through, through=through)
    return max((through - first).days + 1, 0)


def rebuild() -> int:
    """Recompute every day the rollup holds from the rows, then roll up to yesterday: after
    writes that bypassed the unit of work (the scaled demo's COPY). The number of days."""
    mark = db.session.get(RollupMark, 1, with_for_update=True)
    first = first_day_of_rows()
    db.session.execute(delete(InstrumentDay))
    db.session.execute(delete(InstrumentMonth))
    if mark is not None and first is not None:
        day = first
        while day <= mark.through:
            last = min(day + timedelta(days=CHUNK_DAYS - 1), mark.through)
            replace(day, last)
            day = last + DAY
    done = max((mark.through - first).days + 1, 0) if mark is not None and first else 0
    if done:
        days_rolled_up.send(
            instrument_ids=None, first=first, last=mark.through, through=mark.through
        )
    return done + fill()


def fill_due(now: datetime) -> int:
    """The background job: roll up the days that ended since the last round."""
    return fill(yesterday(now))
