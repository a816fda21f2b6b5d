"""Achievements that used the platform's instruments: users add their own, a manager of one of
the instruments confirms it, and the confirmed ones count in the yearly figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select, true
from sqlalchemy.exc import IntegrityError

from sharing.assessment.models import (
    Achievement,
    AchievementKind,
    AchievementStatus,
    achievement_instruments,
)
from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.core.pagination import Page
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument, managed_instruments
from sharing.instruments.models import Instrument
from sharing.orders.models import Order
from sharing.orgs.services import get_organisation
from sharing.util.timeutil import utcnow


def _organisation_for(actor: User, slug: str | None):
    if not slug or slug == actor.organisation.slug:
        return actor.organisation
    if not is_admin(actor):
        raise Forbidden("Achievements are added for your own organisation.")
    organisation = get_organisation(slug)
    if organisation is None:
        raise BadRequest(
            "No organisation '%(slug)s'.", {"slug": slug}, fields={"organisation": ["unknown"]}
        )
    return organisation


def add_achievement(actor: User, data: dict) -> Achievement:
    """A user records an achievement of their organisation and the instruments it used."""
    organisation = _organisation_for(actor, data.get("organisation"))
    ids = sorted(set(data.get("instrument_ids") or []))
    if not ids:
        raise BadRequest(
            "Name at least one instrument the work used.", fields={"instrument_ids": ["empty"]}
        )
    instruments = list(db.session.scalars(select(Instrument).where(Instrument.id.in_(ids))))
    if len(instruments) != len(ids):
        raise BadRequest("Some instruments do not exist.", fields={"instrument_ids": ["unknown"]})
    kind = AchievementKind(data["kind"])
    achievement = Achievement(
        kind=kind,
        title=data["title"].strip(),
        year=data["year"],
        reference=(data.get("reference") or "").strip(),
        invention=bool(data.get("invention")) and kind == AchievementKind.PATENT,
        organisation_id=organisation.id,
        added_by_id=actor.id,
        instruments=instruments,
    )
    try:
        with db.session.begin_nested():
            db.session.add(achievement)
    except IntegrityError:
        raise Conflict(
            "Your organisation has recorded this reference already.", code="duplicate"
        ) from None
    return achievement


def get_achievement(actor: User | None, achievement_id: int) -> Achievement:
    """The achievement if the actor may see it; NotFound otherwise."""
    achievement = db.session.get(Achievement, achievement_id)
    if achievement is None or not _may_see(actor, achievement):
        raise NotFound("No achievement %(id)s.", {"id": achievement_id})
    return achievement


def _may_see(viewer: User | None, achievement: Achievement) -> bool:
    if achievement.status == AchievementStatus.CONFIRMED:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.organisation_id == achievement.organisation_id or may_decide(viewer, achievement)


def may_decide(user: User, achievement: Achievement) -> bool:
    """Admins, and managers of an instrument the achievement used."""
    return any(can_manage_instrument(user, i) for i in achievement.instruments)


def decide_achievement(actor: User, achievement: Achievement, confirm: bool) -> Achievement:
    if not may_decide(actor, achievement):
        raise Forbidden("Managers of the instruments it used confirm an achievement.")
    lock_row(achievement)
    if achievement.status != AchievementStatus.CLAIMED:
        raise Conflict(
            "This achievement is decided already.",
            code="invalid_state",
            status=achievement.status.value,
        )
    achievement.status = AchievementStatus.CONFIRMED if confirm else AchievementStatus.REJECTED
    achievement.decided_by_id = actor.id
    achievement.decided_at = utcnow()
    db.session.flush()
    return achievement


def _visible(viewer: User | None):
    """Confirmed achievements are public; a user also sees their own organisation's, and a
    manager those on the instruments they manage."""
    confirmed = Achievement.status == AchievementStatus.CONFIRMED
    if viewer is None or not viewer.is_authenticated:
        return confirmed
    if is_admin(viewer):
        return true()
    conditions = [confirmed, Achievement.organisation_id == viewer.organisation_id]
    if viewer.role == Role.MANAGER:
        on_mine = select(achievement_instruments.c.achievement_id).where(
            achievement_instruments.c.instrument_id.in_(managed_instruments(viewer))
        )
        conditions.append(Achievement.id.in_(on_mine))
    return or_(*conditions)


def list_achievements(
    viewer: User | None,
    year: int | None = None,
    instrument_id: int | None = None,
    status: AchievementStatus | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    statement = select(Achievement).where(_visible(viewer))
    if year is not None:
        statement = statement.where(Achievement.year == year)
    if instrument_id is not None:
        used = select(achievement_instruments.c.achievement_id).where(
            achievement_instruments.c.instrument_id == instrument_id
        )
        statement = statement.where(Achievement.id.in_(used))
    if status is not None:
        statement = statement.where(Achievement.status == status)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = list(
        db.session.scalars(
            statement.order_by(Achievement.year.desc(), Achievement.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int
    growth: Decimal | None  # over the year before, to four places; None without one


def counts_by_year(kind: AchievementKind, invention_only: bool = False) -> list[YearCount]:
    """Confirmed achievements of one kind per year, with the growth over the year before (the
    district reports invention patents and major research tasks this way)."""
    statement = (
        select(Achievement.year, func.count())
        .where(Achievement.kind == kind, Achievement.status == AchievementStatus.CONFIRMED)
        .group_by(Achievement.year)
        .order_by(Achievement.year)
    )
    if invention_only:
        statement = statement.where(Achievement.invention.is_(True))
    rows = db.session.execute(statement).all()
    found = []
    before: dict[int, int] = dict(rows)
    for year, count in rows:
        last = before.get(year - 1)
        growth = (Decimal(count - last) / last).quantize(Decimal("0.0001")) if last else None
        found.append(YearCount(year, count, growth))
    return found


def instruments_to_credit(user: User, also: int | None = None) -> list[Instrument]:
    """What a user may name as having served the work: instruments they used in completed
    sessions, those their organisation's orders ran on, those they manage, and `also`."""
    used = select(Booking.instrument_id).where(
        Booking.user_id == user.id, Booking.status == BookingStatus.COMPLETED
    )
    ordered = select(Order.instrument_id).where(Order.customer_org_id == user.organisation_id)
    conditions = [Instrument.id.in_(used), Instrument.id.in_(ordered)]
    if user.role == Role.MANAGER:
        conditions.append(Instrument.id.in_(managed_instruments(user)))
    if also is not None:
        conditions.append(Instrument.id == also)
    return list(
        db.session.scalars(select(Instrument).where(or_(*conditions)).order_by(Instrument.name))
    )
