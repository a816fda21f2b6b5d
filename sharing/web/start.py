"""What each role sees first after signing in: the few things that need them today.

Researchers: upcoming bookings, requests waiting, training, waiting-list offers, this month's
spend. Managers: the queue, today's sessions and check-ins due, training requests. Company
staff: their challenges and the applications received, orders in progress, this month's
statement. Admins: the platform's figures this month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, true

from sharing.assessment.incidents import open_incidents_for
from sharing.assessment.ratings import low_ratings
from sharing.auth.access import is_admin, is_manager
from sharing.auth.models import User
from sharing.billing.models import Charge
from sharing.billing.services import month_of
from sharing.bookings.lifecycle import ACTIVE_STATUSES, BookingStatus
from sharing.bookings.models import Booking, WaitlistEntry, WaitlistStatus
from sharing.bookings.services import count_pending_for_manager
from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Application, Challenge
from sharing.extensions import db
from sharing.instruments.access import managed_instruments
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Order
from sharing.orgs.models import Organisation
from sharing.training.models import OPEN_STATUSES, TrainingRequest
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow

SOON = timedelta(days=30)
FINISHED_ORDERS = (OrderStatus.COMPLETED, OrderStatus.DECLINED, OrderStatus.CANCELLED)


@dataclass
class StartPage:
    role: str
    month: str
    upcoming: list = field(default_factory=list)
    pending: int = 0
    training: list = field(default_factory=list)
    expiring: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    spend: Decimal = Decimal("0")
    queue: int = 0
    today: list = field(default_factory=list)
    check_ins_due: int = 0
    challenges: list = field(default_factory=list)
    applications: int = 0
    orders: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    low_ratings: list = field(default_factory=list)
    open_incidents: list = field(default_factory=list)


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(platform_zone())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight, midnight + timedelta(days=1)


def _researcher(page: StartPage, user: User, now: datetime) -> None:
    mine = select(Booking).where(
        Booking.user_id == user.id, Booking.status.in_(ACTIVE_STATUSES), Booking.end > now
    )
    page.upcoming = list(db.session.scalars(mine.order_by(Booking.start).limit(5)))
    page.pending = db.session.scalar(
        select(func.count()).select_from(
            mine.where(Booking.status == BookingStatus.PENDING).subquery()
        )
    )
    page.training = list(
        db.session.scalars(
            select(TrainingRequest).where(
                TrainingRequest.user_id == user.id, TrainingRequest.status.in_(OPEN_STATUSES)
            )
        )
    )
    # Each grant with its instrument: a qualification means nothing without what it is for.
    page.expiring = list(
        db.session.execute(
            select(QualifiedUser, Instrument)
            .join(Instrument, Instrument.id == QualifiedUser.instrument_id)
            .where(
                QualifiedUser.user_id == user.id,
                QualifiedUser.expires_at.is_not(None),
                QualifiedUser.expires_at <= now + SOON,
            )
            .order_by(QualifiedUser.expires_at)
        ).tuples()
    )
    page.offers = list(
        db.session.scalars(
            select(WaitlistEntry).where(
                WaitlistEntry.user_id == user.id,
                WaitlistEntry.status == WaitlistStatus.OFFERED,
                WaitlistEntry.offer_expires_at > now,
            )
        )
    )
    page.spend = db.session.scalar(
        select(func.coalesce(func.sum(Charge.amount), 0))
        .join(Booking, Booking.id == Charge.booking_id)
        .where(Booking.user_id == user.id, Charge.month == page.month)
    ) or Decimal("0")


def _manager(page: StartPage, user: User, now: datetime) -> None:
    page.queue = count_pending_for_manager(user)
    start, end = _day_bounds(now)
    managed = Booking.instrument_id.in_(managed_instruments(user)) if not is_admin(user) else true()
    today = (
        select(Booking)
        .where(
            managed,
            Booking.status == BookingStatus.APPROVED,
            Booking.start < end,
            Booking.end > start,
        )
        .order_by(Booking.start)
    )
    page.today = list(db.session.scalars(today.limit(20)))
    page.check_ins_due = sum(
        1 for b in page.today if b.checked_in_at is None and b.start <= now + timedelta(minutes=30)
    )
    page.training = list(
        db.session.scalars(
            select(TrainingRequest).where(
                TrainingRequest.status.in_(OPEN_STATUSES),
                TrainingRequest.instrument_id.in_(managed_instruments(user)),
            )
        )
    )
    page.low_ratings = low_ratings(user)
    page.open_incidents = open_incidents_for(user)


def _company(page: StartPage, user: User) -> None:
    page.challenges = list(
        db.session.scalars(
            select(Challenge)
            .where(Challenge.organisation_id == user.organisation_id)
            .order_by(Challenge.deadline.desc())
            .limit(5)
        )
    )
    page.applications = db.session.scalar(
        select(func.count(Application.id))
        .join(Challenge, Challenge.id == Application.challenge_id)
        .where(Challenge.organisation_id == user.organisation_id)
    )
    page.orders = list(
        db.session.scalars(
            select(Order)
            .where(
                Order.customer_org_id == user.organisation_id,
                Order.status.not_in(FINISHED_ORDERS),
            )
            .order_by(Order.id.desc())
            .limit(5)
        )
    )
    page.spend = db.session.scalar(
        select(func.coalesce(func.sum(Charge.amount), 0)).where(
            Charge.customer_org_id == user.organisation_id, Charge.month == page.month
        )
    ) or Decimal("0")


def _platform(page: StartPage) -> None:
    page.figures = {
        "organisations": db.session.scalar(select(func.count(Organisation.id))),
        "instruments": db.session.scalar(select(func.count(Instrument.id))),
        "bookings": db.session.scalar(
            select(func.count(Booking.id)).where(Booking.status.in_(ACTIVE_STATUSES))
        ),
        "revenue": db.session.scalar(
            select(func.coalesce(func.sum(Charge.amount), 0)).where(Charge.month == page.month)
        )
        or Decimal("0"),
        "open_challenges": db.session.scalar(
            select(func.count(Challenge.id)).where(Challenge.status == ChallengeStatus.OPEN)
        ),
    }


def start_page(user: User, now: datetime | None = None) -> StartPage:
    now = now or utcnow()
    role = "admin" if is_admin(user) else "manager" if is_manager(user) else user.role.value
    page = StartPage(role=role, month=month_of(now))
    if role == "admin":
        _platform(page)
        _manager(page, user, now)
    elif role == "manager":
        _manager(page, user, now)
    elif role == "enterprise":
        _company(page, user)
        _researcher(page, user, now)
    else:
        _researcher(page, user, now)
    return page
