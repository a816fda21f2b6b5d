"""Reports: utilisation per instrument, revenue per owner, spend per customer, yearly figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from sharing.billing import dailyread as daily
from sharing.billing.access import can_see_reports, report_scope
from sharing.billing.income import OrganisationMonth, yuan
from sharing.billing.realuse import clipped_use
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking, Downtime
from sharing.bookings.policy import OpenCalendar, subtract
from sharing.core.dbtypes import UTCDateTime
from sharing.core.errors import Forbidden
from sharing.core.sqltime import earlier_of, later_of, microseconds_between
from sharing.extensions import db
from sharing.instruments.models import (
    LARGE_INSTRUMENT_VALUE,
    SHIP_TIME_CATEGORIES,
    Category,
    Instrument,
)
from sharing.orgs.models import Organisation
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval

BOOKED = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def _seconds(microseconds) -> Decimal:
    """Seconds from a sum of microseconds in SQL (None: no rows)."""
    return Decimal(int(microseconds or 0)) / 1_000_000


def _positive(amount):
    """SQL: the amount, or 0 when it is below."""
    return case((amount > 0, amount), else_=0)


def _union_seconds(rows) -> dict[int, Decimal]:
    """Per instrument, the seconds of the union of the rows' [start, end) (a subquery with
    instrument_id, start and end), summed in SQL: in start order, each stretch adds what reaches
    past the furthest end before it, which is the length of the merged stretches."""
    reach = (
        func.max(rows.c.end)
        .over(
            partition_by=rows.c.instrument_id, order_by=(rows.c.start, rows.c.end), rows=(None, -1)
        )
        .label("reach")
    )
    ordered = select(rows.c.instrument_id, rows.c.start, rows.c.end, reach).subquery()
    beyond = microseconds_between(
        ordered.c.end, later_of(ordered.c.start, func.coalesce(ordered.c.reach, ordered.c.start))
    )
    totals = select(ordered.c.instrument_id, func.sum(_positive(beyond))).group_by(
        ordered.c.instrument_id
    )
    return {instrument_id: _seconds(total) for instrument_id, total in db.session.execute(totals)}


def _hours(seconds: float) -> Decimal:
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"))


def _share(part_seconds: float, whole_seconds: float) -> Decimal:
    """A fraction to four places; nothing of nothing is 0."""
    if not whole_seconds:
        return Decimal("0")
    return (Decimal(part_seconds) / Decimal(whole_seconds)).quantize(Decimal("0.0001"))


def _open_spans(instrument: Instrument, window: Interval) -> list[Interval]:
    return list(_open_spans_of(instrument.booking_rules().open_hours, window, platform_zone()))


@lru_cache(maxsize=64)
def _open_spans_of(open_hours: tuple, window: Interval, zone) -> tuple[Interval, ...]:
    """The open spans of a week's windows inside `window`: the same for every instrument of the
    same hours, so a report over hundreds of instruments works each pattern out once."""
    calendar = OpenCalendar(open_hours, zone)
    if calendar.always_open:
        return (window,)
    bounds = (
        (max(span.start, window.start), min(span.end, window.end))
        for span in calendar.spans(window.start, window.end)
    )
    return tuple(Interval(start, end) for start, end in bounds if end > start)


def _downtimes(window: Interval) -> dict[int, list[Interval]]:
    rows = db.session.execute(
        select(Downtime.instrument_id, Downtime.start, Downtime.end).where(
            Downtime.start < window.end, Downtime.end > window.start
        )
    )
    found: dict[int, list[Interval]] = {}
    for instrument_id, start, end in rows:
        found.setdefault(instrument_id, []).append(Interval(start, end))
    return found


def _available_seconds(
    instrument: Instrument, window: Interval, downtimes: list[Interval]
) -> float:
    """Open hours inside the window, under the instrument's open hours, less its downtimes."""
    if not downtimes:
        # Most instruments have none: their hours are their pattern's, summed once for all.
        return _open_seconds_of(instrument.booking_rules().open_hours, window, platform_zone())
    spans = subtract(_open_spans(instrument, window), downtimes)
    return sum(span.duration.total_seconds() for span in spans)


@lru_cache(maxsize=64)
def _open_seconds_of(open_hours: tuple, window: Interval, zone) -> float:
    return sum(span.duration.total_seconds() for span in _open_spans_of(open_hours, window, zone))


def _booked_stretches(pieces: tuple[Interval, ...]):
    """SQL: the booked stretches clipped to each of the (disjoint) pieces of a window."""
    clipped = []
    for piece in pieces:
        start, end = literal(piece.start, UTCDateTime), literal(piece.end, UTCDateTime)
        clipped.append(
            select(
                Booking.instrument_id.label("instrument_id"),
                later_of(Booking.start, start).label("start"),
                earlier_of(Booking.end, end).label("end"),
            ).where(
                Booking.status.in_(BOOKED), Booking.start < piece.end, Booking.end > piece.start
            )
        )
    return union_all(*clipped).subquery()


def _use_stretches(pieces: tuple[Interval, ...]):
    """SQL: the stretches of use clipped to each of the (disjoint) pieces of a window, as
    `clipped_use` gives them for one."""
    uses = [clipped_use(piece) for piece in pieces]
    return union_all(*(select(*use.c) for use in uses)).subquery()


def utilisation(window: Interval, organisation_id: int | None = None) -> list[dict]:
    """Booked and used hours over available hours (open, less downtimes), per instrument, inside
    the window; used hours are real use (`realuse`), unbooked use included. Whole days the
    daily rollup holds are read from it, the rest of the window from the rows."""
    instruments = (
        select(Instrument)
        # Open hours with the instruments: one query for all, not one per instrument.
        .options(joinedload(Instrument.organisation), selectinload(Instrument.open_hours))
        .order_by(Instrument.organisation_id, Instrument.name)
    )
    if organisation_id is not None:
        instruments = instruments.where(Instrument.organisation_id == organisation_id)
    parts = daily.split(window)
    rolled = daily.sums(parts.days, ("booked_us", "used_us"))
    booked = _union_seconds(_booked_stretches(parts.rest)) if parts.rest else {}
    used = _union_seconds(_use_stretches(parts.rest)) if parts.rest else {}
    down = _downtimes(window)
    report = []
    for instrument in db.session.scalars(instruments).unique():
        open_s = _available_seconds(instrument, window, down.get(instrument.id, []))
        booked_us, used_us = rolled.get(instrument.id, (0, 0))
        booked_s = booked.get(instrument.id, Decimal(0)) + _seconds(booked_us)
        used_s = used.get(instrument.id, Decimal(0)) + _seconds(used_us)
        report.append(
            {
                "instrument_id": instrument.id,
                "name": instrument.name,
                "organisation": instrument.organisation.slug,
                "open_hours": _hours(open_s),
                "booked_hours": _hours(booked_s),
                "used_hours": _hours(used_s),
                "utilisation": _share(booked_s, open_s),
            }
        )
    return report


def _monthly_totals(
    window: Interval, organisation_column, organisation_id: int | None = None
) -> list[dict]:
    """Sums of charges per organisation (owner or customer) and month inside the window, from
    the monthly sums per organisation pair (`income.OrganisationMonth`): a few hundred rows,
    where a year of the district's charges is 270,000 at 10x."""
    sums = (
        select(
            organisation_column.label("organisation_id"),
            OrganisationMonth.month.label("month"),
            func.sum(OrganisationMonth.amount_fen).label("fen"),
        )
        .where(OrganisationMonth.month.in_(_months(window)), OrganisationMonth.charges > 0)
        .group_by(organisation_column, OrganisationMonth.month)
    )
    if organisation_id is not None:
        sums = sums.where(organisation_column == organisation_id)
    sums = sums.subquery()
    # An adjustment's owner is NO_OWNER, which names no organisation: revenue leaves it out.
    statement = (
        select(Organisation.slug, Organisation.name, sums.c.month, sums.c.fen)
        .join(Organisation, Organisation.id == sums.c.organisation_id)
        .order_by(sums.c.month, Organisation.name)
    )
    return [
        {"organisation": slug, "name": name, "month": month, "amount": yuan(fen)}
        for slug, name, month, fen in db.session.execute(statement)
    ]


def revenue(window: Interval, organisation_id: int | None = None) -> list[dict]:
    """Charges per owning organisation and month (platform zone); adjustments have no owner."""
    return _monthly_totals(window, OrganisationMonth.owner_org_id, organisation_id)


def spend(window: Interval, organisation_id: int | None = None) -> list[dict]:
    """Charges per customer organisation and month."""
    return _monthly_totals(window, OrganisationMonth.customer_org_id, organisation_id)


def large_instrument_criteria(organisation_id: int | None = None) -> list:
    """Which instruments the yearly assessment covers: those worth 500,000 yuan or more (of
    the organisation, or of all)."""
    criteria = [
        Instrument.original_value >= LARGE_INSTRUMENT_VALUE,
        # Vessels are counted by ship days (sharing.cruises), as the national fleet assesses
        # them, not by machine hours.
        ~Instrument.category.has(Category.slug.in_(SHIP_TIME_CATEGORIES)),
    ]
    if organisation_id is not None:
        criteria.append(Instrument.organisation_id == organisation_id)
    return criteria


def large_instrument_year(year: int, organisation_id: int | None = None) -> list[dict]:
    """China's sharing assessment per instrument worth 500,000 yuan or more: 有效工作机时 (used
    hours), 对外服务机时 (used hours for other organisations) and the sharing rate between them.
    Used hours are real use (`realuse`): the agents' sessions where an instrument has them."""
    zone = platform_zone()
    window = Interval(datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone))
    instruments = (
        select(Instrument)
        .where(*large_instrument_criteria(organisation_id))
        .options(joinedload(Instrument.organisation))
    )
    # per instrument: the seconds of use and those for other organisations (a sample run serves
    # the ordering organisation, whoever ran the instrument), from the rollup's whole days and
    # summed in SQL for the rest of the year
    parts = daily.split(window)
    rolled = daily.sums(parts.days, ("use_us", "external_us"))
    used = {}
    if parts.rest:
        use = _use_stretches(parts.rest)
        seconds = _positive(microseconds_between(use.c.end, use.c.start))
        external = case((use.c.served_org_id != Instrument.organisation_id, seconds), else_=0)
        sums = (
            select(use.c.instrument_id, func.sum(seconds), func.sum(external))
            .join(Instrument, Instrument.id == use.c.instrument_id)
            .group_by(use.c.instrument_id)
        )
        used = {
            instrument_id: (int(total or 0), int(other or 0))
            for instrument_id, total, other in db.session.execute(sums)
        }
    report = []
    for instrument in db.session.scalars(instruments).unique():
        raw_total, raw_other = used.get(instrument.id, (0, 0))
        rolled_total, rolled_other = rolled.get(instrument.id, (0, 0))
        effective = _seconds(raw_total + rolled_total)
        external = _seconds(raw_other + rolled_other)
        report.append(
            {
                "instrument_id": instrument.id,
                "name": instrument.name,
                "organisation": instrument.organisation.slug,
                "original_value": instrument.original_value,
                "effective_hours": _hours(effective),
                "external_hours": _hours(external),
                "sharing_rate": _share(external, effective),
            }
        )
    return report


def _months(window: Interval) -> list[str]:
    zone = platform_zone()
    start = window.start.astimezone(zone).replace(day=1)
    end = window.end.astimezone(zone)
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def reports_for(actor, window: Interval, organisation_id: int | None = None) -> ReportScope:
    """The reports the actor may read, scoped to what they may see: a manager's own
    organisation whatever was asked, an admin's choice (None: the whole platform)."""
    if not can_see_reports(actor):
        raise Forbidden("Reports are for managers and admins.")
    return ReportScope(window, report_scope(actor, organisation_id))


@dataclass(frozen=True)
class ReportScope:
    """A window and the owning organisation the reports cover (None: every one)."""

    window: Interval
    organisation_id: int | None

    def utilisation(self) -> list[dict]:
        return utilisation(self.window, self.organisation_id)

    def revenue(self) -> list[dict]:
        return revenue(self.window, self.organisation_id)

    def spend(self) -> list[dict]:
        return spend(self.window, self.organisation_id)

    def large_instruments(self, year: int) -> list[dict]:
        return large_instrument_year(year, self.organisation_id)
