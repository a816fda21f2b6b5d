"""Customers rate finished work once: a completed booking by its user, a completed sample order
by its customer organisation. Instruments show the average; managers read the comments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from sharing.assessment.models import Rating
from sharing.auth.models import User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.core.errors import Conflict, Forbidden, readable
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import managed_instruments
from sharing.orders.access import is_customer
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Order
from sharing.util.timeutil import Interval

LOW_SCORE = 2  # at or below: shown to the instrument's managers on their start page


@dataclass(frozen=True)
class RatingSummary:
    average: Decimal | None  # to one place; None without ratings
    count: int


NO_RATINGS = RatingSummary(None, 0)


def _add_once(rating: Rating, subject, already: str) -> Rating:
    """Add `rating` unless its booking or order (`subject`, a column of Rating) has one."""
    subject_id = getattr(rating, subject.key)
    if db.session.scalar(select(Rating.id).where(subject == subject_id)) is not None:
        raise Conflict(already, code="duplicate")
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError:
        # A simultaneous rating of the same work committed first (its unique key).
        raise Conflict("This has been rated already.", code="duplicate") from None
    return rating


def _require_completed(subject, completed, message: str) -> None:
    if subject.status != completed:
        raise Conflict(message, code="invalid_state", status=subject.status.value)


def rate_booking(actor: User, booking: Booking, score: int, comment: str) -> Rating:
    """The booking's user rates it once, after it is completed."""
    if booking.user_id != actor.id:
        raise Forbidden("Only the person who used the instrument rates the session.")
    lock_row(booking)  # two ratings of one session: the second waits, then sees the first
    _require_completed(
        booking, BookingStatus.COMPLETED, readable("A session is rated after it is completed.")
    )
    rating = Rating(
        instrument_id=booking.instrument_id,
        booking_id=booking.id,
        user_id=actor.id,
        organisation_id=actor.organisation_id,
        score=score,
        comment=comment.strip(),
    )
    return _add_once(rating, Rating.booking_id, readable("You have rated this session already."))


def rate_order(actor: User, order: Order, score: int, comment: str) -> Rating:
    """A member of the ordering organisation rates a completed order once."""
    if not is_customer(actor, order):
        raise Forbidden("Only the customer rates an order.")
    lock_row(order)
    _require_completed(
        order, OrderStatus.COMPLETED, readable("An order is rated after it is completed.")
    )
    rating = Rating(
        instrument_id=order.instrument_id,
        order_id=order.id,
        user_id=actor.id,
        organisation_id=order.customer_org_id,
        score=score,
        comment=comment.strip(),
    )
    return _add_once(rating, Rating.order_id, readable("This order has been rated already."))


def may_rate_booking(user: User, booking: Booking) -> bool:
    return booking.user_id == user.id and booking.status == BookingStatus.COMPLETED


def may_rate_order(user: User, order: Order) -> bool:
    return is_customer(user, order) and order.status == OrderStatus.COMPLETED


def summaries(
    instrument_ids: list[int] | Select, window: Interval | None = None
) -> dict[int, RatingSummary]:
    """Average (to one place) and count per instrument (a list of ids or a select of them),
    in one query; of the ratings given inside `window` if one is named."""
    if isinstance(instrument_ids, list | tuple | set) and not instrument_ids:
        return {}
    statement = (
        select(Rating.instrument_id, func.sum(Rating.score), func.count())
        .where(Rating.instrument_id.in_(instrument_ids))
        .group_by(Rating.instrument_id)
    )
    if window is not None:
        statement = statement.where(
            Rating.created_at >= window.start, Rating.created_at < window.end
        )
    return {
        instrument_id: RatingSummary((Decimal(total) / count).quantize(Decimal("0.1")), count)
        for instrument_id, total, count in db.session.execute(statement)
    }


def summary(instrument_id: int) -> RatingSummary:
    return summaries([instrument_id]).get(instrument_id, NO_RATINGS)


def rating_of_booking(booking_id: int) -> Rating | None:
    return db.session.scalar(select(Rating).where(Rating.booking_id == booking_id))


def rating_of_order(order_id: int) -> Rating | None:
    return db.session.scalar(select(Rating).where(Rating.order_id == order_id))


def recent_ratings(instrument_id: int, limit: int = 20) -> list[Rating]:
    """The newest ratings of an instrument with their comments (for its managers)."""
    return list(
        db.session.scalars(
            select(Rating)
            .where(Rating.instrument_id == instrument_id)
            .order_by(Rating.created_at.desc(), Rating.id.desc())
            .limit(limit)
        )
    )


def low_ratings(manager: User, limit: int = 10) -> list[Rating]:
    """The newest low scores on the instruments `manager` runs."""
    return list(
        db.session.scalars(
            select(Rating)
            .where(
                Rating.instrument_id.in_(managed_instruments(manager)),
                Rating.score <= LOW_SCORE,
            )
            .order_by(Rating.created_at.desc(), Rating.id.desc())
            .limit(limit)
        )
    )
