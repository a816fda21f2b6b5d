"""The district's figures for any dates, beside the same dates a year earlier and the growth:
the pipeline from visits to contracts, results transferred, the board, the alliance, the net,
and the major tasks and invention patents of the achievements registry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import distinct, func, select

from sharing.assessment.models import Achievement, AchievementKind, AchievementStatus
from sharing.challenges.models import Challenge
from sharing.extensions import db
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.needs.models import Need, Transfer, TransferKind, Visit
from sharing.orgs.models import Organisation
from sharing.util.formatting import local_today, platform_zone

COUNTS = (
    "companies_visited",
    "needs_collected",
    "needs_claimed",
    "needs_in_talks",
    "needs_contracted",
    "transfers",
    "challenges_posted",
    "challenges_awarded",
    "alliance_members",
    "organisations",
    "instruments",
    "major_tasks",
    "invention_patents",
)
AMOUNTS = ("transfer_amount", "contract_amount")
FUNNEL_FIGURES = COUNTS[:5]  # visited, collected, claimed, in talks, contracted
FIGURES = (*COUNTS[:6], "transfer_amount", *COUNTS[6:], "contract_amount")


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # both days included

    def year_earlier(self) -> Window:
        return Window(_year_before(self.start), _year_before(self.end))

    def instants(self) -> tuple[datetime, datetime]:
        """[first moment, moment after the last day) in UTC, by the platform's calendar."""
        zone = platform_zone()
        first = datetime.combine(self.start, time(0), zone).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), zone).astimezone(UTC)
        return first, after


def window_or_this_year(start: date | None, end: date | None) -> Window:
    """The asked dates; by default from 1 January of this year to today (platform calendar)."""
    today = local_today()
    end = end or (today if start is None or start <= today else start)
    return Window(start or end.replace(month=1, day=1), end)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def growth(now: Decimal | int, before: Decimal | int) -> Decimal | None:
    """(now - before) / before to four places; None when there is nothing to grow from."""
    if not before:
        return None
    return (Decimal(now - before) / Decimal(before)).quantize(Decimal("0.0001"))


def _count(statement) -> int:
    return db.session.scalar(statement) or 0


def _between(column, window: Window):
    return column.between(window.start, window.end)


def figures(window: Window) -> dict[str, int | Decimal]:
    """Every figure for one window."""
    first, after = window.instants()
    transfers = db.session.execute(
        select(func.count(Transfer.id), func.coalesce(func.sum(Transfer.amount), 0)).where(
            _between(Transfer.signed_on, window)
        )
    ).one()
    contracts = db.session.scalar(
        select(func.coalesce(func.sum(Need.contract_amount), 0)).where(
            _between(Need.signed_on, window)
        )
    )
    listed = select(Instrument).where(
        Instrument.status != InstrumentStatus.RETIRED, Instrument.created_at < after
    )
    years = (window.start.year, window.end.year)
    return {
        "companies_visited": _count(
            select(func.count(distinct(Visit.company_id))).where(_between(Visit.visited_on, window))
        ),
        "needs_collected": _count(
            select(func.count(Need.id)).where(_between(Need.collected_on, window))
        ),
        "needs_claimed": _count(
            select(func.count(Need.id)).where(_between(Need.claimed_on, window))
        ),
        "needs_in_talks": _count(
            select(func.count(Need.id)).where(_between(Need.talks_on, window))
        ),
        "needs_contracted": _count(
            select(func.count(Need.id)).where(_between(Need.signed_on, window))
        ),
        "transfers": transfers[0],
        "transfer_amount": Decimal(transfers[1]).quantize(Decimal("0.01")),
        "contract_amount": Decimal(contracts).quantize(Decimal("0.01")),
        "challenges_posted": _count(
            select(func.count(Challenge.id)).where(
                Challenge.published_at >= first, Challenge.published_at < after
            )
        ),
        "challenges_awarded": _count(
            select(func.count(Challenge.id)).where(
                Challenge.awarded_at >= first, Challenge.awarded_at < after
            )
        ),
        "alliance_members": _count(
            select(func.count(Organisation.id)).where(
                Organisation.alliance_member.is_(True), Organisation.joined_on <= window.end
            )
        ),
        "organisations": _count(select(func.count(distinct(listed.subquery().c.organisation_id)))),
        "instruments": _count(select(func.count()).select_from(listed.subquery())),
        "major_tasks": _achievements(AchievementKind.MAJOR_TASK, years),
        "invention_patents": _achievements(AchievementKind.PATENT, years, invention_only=True),
    }


def _achievements(kind: AchievementKind, years: tuple[int, int], invention_only=False) -> int:
    """Confirmed achievements of the window's years: the registry keeps years, not days."""
    statement = select(func.count(Achievement.id)).where(
        Achievement.kind == kind,
        Achievement.status == AchievementStatus.CONFIRMED,
        Achievement.year.between(*years),
    )
    if invention_only:
        statement = statement.where(Achievement.invention.is_(True))
    return _count(statement)


@dataclass(frozen=True)
class Impact:
    window: Window
    current: dict
    previous: dict

    @property
    def growth(self) -> dict[str, Decimal | None]:
        return {name: growth(self.current[name], self.previous[name]) for name in FIGURES}


def impact(window: Window) -> Impact:
    """The window's figures and those of the same dates a year earlier."""
    return Impact(window, figures(window), figures(window.year_earlier()))


def transfers_by_kind(window: Window) -> list[tuple[TransferKind, int, Decimal]]:
    rows = db.session.execute(
        select(Transfer.kind, func.count(Transfer.id), func.sum(Transfer.amount))
        .where(_between(Transfer.signed_on, window))
        .group_by(Transfer.kind)
    ).all()
    found = {kind: (count, Decimal(amount)) for kind, count, amount in rows}
    return [(kind, *found.get(kind, (0, Decimal("0.00")))) for kind in TransferKind]


def needs_by_field(window: Window) -> list[tuple[str, int, int, int]]:
    """Per field: needs collected, claimed and contracted within the window."""
    rows = db.session.execute(
        select(
            Need.field,
            func.count(Need.id).filter(_between(Need.collected_on, window)),
            func.count(Need.id).filter(_between(Need.claimed_on, window)),
            func.count(Need.id).filter(_between(Need.signed_on, window)),
        ).group_by(Need.field)
    ).all()
    return [
        (field, collected, claimed, contracted) for field, collected, claimed, contracted in rows
    ]
