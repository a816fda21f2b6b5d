"""The yearly figures of every instrument of 500,000 yuan or more, as the national assessment
(大型科研仪器开放共享评价考核) asks for them, per instrument and in total.

Hours come from billing's report (used hours of completed sessions; a sample run serves the
ordering organisation). Samples are those recorded on sessions that are not sample runs, plus
those measured on orders completed in the year. Income is the year's charges, inside (the
owner's own people) and outside. Users served are the distinct people who used it in sessions
or placed orders on it; trainees, the people granted a qualification on it in the year;
achievements, the confirmed ones of that year that used it; the rating, the year's scores.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from sharing.assessment import yearpeople
from sharing.assessment.models import (
    Achievement,
    AchievementStatus,
    achievement_instruments,
)
from sharing.assessment.ratings import NO_RATINGS, summaries
from sharing.assessment.yearpeople import _completed_orders, served_rows, year_window
from sharing.billing import daily, dailyread
from sharing.billing.access import can_see_reports, report_scope
from sharing.billing.income import income_of_year
from sharing.billing.reports import large_instrument_criteria, large_instrument_year
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.core.errors import Forbidden, NotFound
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orders.models import Order
from sharing.orgs.services import get_organisation
from sharing.training.models import TrainingRequest, TrainingStatus
from sharing.util.timeutil import Interval

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str
    label_en: str


# The national form's fields, in its order: the CSV and XLSX follow it.
NATIONAL_FIELDS = (
    Column("name", "仪器名称", "Instrument"),
    Column("organisation_name", "所属单位", "Organisation"),
    Column("national_code", "仪器分类代码", "Category code"),
    Column("original_value", "原值（元）", "Original value (CNY)"),
    Column("country_of_origin", "产地国别", "Country of origin"),
    Column("source", "仪器来源", "Source"),
    Column("share_mode", "共享模式", "Share mode"),
    Column("purchased_on", "购置日期", "Purchased on"),
    Column("effective_hours", "有效工作机时（小时）", "Effective hours"),
    Column("external_hours", "对外服务机时（小时）", "External service hours"),
    Column("sharing_rate", "共享率", "Sharing rate"),
    Column("samples", "服务样品数", "Samples"),
    Column("internal_income", "单位内部收入（元）", "Internal income (CNY)"),
    Column("external_income", "对外服务收入（元）", "External income (CNY)"),
    Column("users_served", "服务用户数", "Users served"),
    Column("organisations_served", "服务单位数", "Organisations served"),
    Column("trainees", "培训人员数", "Trainees"),
    Column("achievements", "成果数", "Achievements"),
    Column("rating_average", "用户评价（平均分）", "Average rating"),
    Column("rating_count", "评价数", "Ratings"),
)


def _samples(ids: Select, window: Interval) -> dict[int, int]:
    """Samples of the sessions (from the daily rollup's whole days, the rest from the rows)
    and of the orders completed in the window."""
    found: dict[int, int] = defaultdict(int)
    parts = dailyread.split(window)
    for instrument_id, (total,) in dailyread.sums(parts.days, ("samples",)).items():
        found[instrument_id] += total
    for piece in parts.rest:
        sessions = db.session.execute(
            select(Booking.instrument_id, func.sum(Booking.samples))
            .where(
                Booking.instrument_id.in_(ids),
                Booking.status == BookingStatus.COMPLETED,
                Booking.order_id.is_(None),
                Booking.used_start >= piece.start,
                Booking.used_start < piece.end,
            )
            .group_by(Booking.instrument_id)
        )
        for instrument_id, total in sessions:
            found[instrument_id] += int(total or 0)
    completed = _completed_orders(window)
    orders = db.session.execute(
        select(Order.instrument_id, func.sum(Order.measured_samples))
        .where(Order.instrument_id.in_(ids), Order.id.in_(completed))
        .group_by(Order.instrument_id)
    )
    for instrument_id, total in orders:
        found[instrument_id] += int(total or 0)
    return dict(found)


def _people(ids: Select, window: Interval, year: int) -> dict[int, tuple[int, int]]:
    """Distinct people and organisations served, per instrument: kept per ended year once the
    daily rollup holds its last day, counted in SQL from the rows otherwise."""
    if yearpeople.kept(year, daily.marked_through()):
        return yearpeople.people_of_year(ids, year)
    rows = served_rows(window, ids)
    counted = select(
        rows.c.instrument_id,
        func.count(func.distinct(rows.c.user_id)),
        func.count(func.distinct(rows.c.org_id)),
    ).group_by(rows.c.instrument_id)
    return {key: (users, orgs) for key, users, orgs in db.session.execute(counted)}


def _trainees(ids: Select, window: Interval) -> dict[int, int]:
    rows = db.session.execute(
        select(TrainingRequest.instrument_id, func.count(func.distinct(TrainingRequest.user_id)))
        .where(
            TrainingRequest.instrument_id.in_(ids),
            TrainingRequest.status == TrainingStatus.GRANTED,
            TrainingRequest.updated_at >= window.start,
            TrainingRequest.updated_at < window.end,
        )
        .group_by(TrainingRequest.instrument_id)
    )
    return dict(rows.all())


def _achievements(ids: Select, year: int) -> dict[int, int]:
    link = achievement_instruments.c
    rows = db.session.execute(
        select(link.instrument_id, func.count())
        .join(Achievement, Achievement.id == link.achievement_id)
        .where(
            link.instrument_id.in_(ids),
            Achievement.year == year,
            Achievement.status == AchievementStatus.CONFIRMED,
        )
        .group_by(link.instrument_id)
    )
    return dict(rows.all())


def yearly_report(year: int, organisation_id: int | None = None) -> list[dict]:
    """One row per large instrument (of the organisation, or of all), in the form's terms."""
    window = year_window(year)
    hours = large_instrument_year(year, organisation_id)
    if not hours:
        return []
    # The instruments as a subquery, not a list: 470 ids bound in each of seven statements
    # were a third of the report's time at ten times the demo (psycopg splits and sends each).
    ids = select(Instrument.id).where(*large_instrument_criteria(organisation_id))
    records = {
        i.id: i
        for i in db.session.scalars(
            select(Instrument)
            .where(Instrument.id.in_(ids))
            .options(joinedload(Instrument.organisation))
        )
    }
    samples = _samples(ids, window)
    income = income_of_year(ids, year)
    people = _people(ids, window, year)
    trainees = _trainees(ids, window)
    achievements = _achievements(ids, year)
    ratings = summaries(ids, window)
    report = []
    for row in hours:
        instrument = records[row["instrument_id"]]
        key = instrument.id
        rating = ratings.get(key, NO_RATINGS)
        inside, outside = income.get(key, (ZERO, ZERO))
        served, organisations = people.get(key, (0, 0))
        report.append(
            {
                **row,
                "organisation_name": instrument.organisation.name,
                "national_code": instrument.national_code,
                "country_of_origin": instrument.country_of_origin,
                "source": instrument.source.value if instrument.source else "",
                "share_mode": instrument.share_mode.value,
                "purchased_on": instrument.purchased_on,
                "samples": samples.get(key, 0),
                "internal_income": inside,
                "external_income": outside,
                "users_served": served,
                "organisations_served": organisations,
                "trainees": trainees.get(key, 0),
                "achievements": achievements.get(key, 0),
                "rating": rating,
                "rating_average": rating.average,
                "rating_count": rating.count,
            }
        )
    return report


TOTALLED = (
    "effective_hours",
    "external_hours",
    "samples",
    "internal_income",
    "external_income",
    "trainees",
    "achievements",
)


def totals(report: list[dict]) -> dict:
    """Sums over the rows (people are counted per instrument, so they are not summed), and the
    sharing rate of the sums."""
    summed = {key: sum(row[key] for row in report) for key in TOTALLED}
    summed["instruments"] = len(report)
    effective = summed["effective_hours"]
    summed["sharing_rate"] = (
        (summed["external_hours"] / effective).quantize(Decimal("0.0001"))
        if effective
        else Decimal("0")
    )
    return summed


def report_scope_for(actor, organisation_slug: str | None = None) -> int | None:
    """Whose figures the actor may read: a manager's own organisation whatever was asked, an
    admin's choice (None: the whole platform). The ship time beside the report has the same."""
    if not can_see_reports(actor):
        raise Forbidden("Reports are for managers and admins.")
    organisation_id = None
    if organisation_slug:
        organisation = get_organisation(organisation_slug)
        if organisation is None:
            raise NotFound("No organisation '%(slug)s'.", {"slug": organisation_slug})
        organisation_id = organisation.id
    return report_scope(actor, organisation_id)


def yearly_report_for(actor, year: int, organisation_slug: str | None = None) -> list[dict]:
    """The report the actor may read (`report_scope_for`)."""
    return yearly_report(year, report_scope_for(actor, organisation_slug))


def totals_by_organisation(report: list[dict]) -> list[tuple[str, str, dict]]:
    """(slug, name, totals) of each organisation in the report, by name."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in report:
        groups[row["organisation"]].append(row)
    return sorted(
        ((slug, rows[0]["organisation_name"], totals(rows)) for slug, rows in groups.items()),
        key=lambda group: group[1],
    )
