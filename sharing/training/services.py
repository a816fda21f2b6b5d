"""Asking for training, scheduling the session, granting or declining: each step locks the
request and re-reads its state, so a lost race is a 409 and never a second grant."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, true
from sqlalchemy.exc import IntegrityError

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.bookings.services import request_booking
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.core.pagination import Page
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument, managed_instruments
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument
from sharing.instruments.qualifications import qualification_of, training_standing
from sharing.training.models import OPEN_STATUSES, TrainingRequest, TrainingStatus
from sharing.util.timeutil import utcnow

# A qualified user may ask for a refresher this long before the grant lapses.
RENEWAL_WINDOW = timedelta(days=60)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months later (the month's last day if shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Qualification:
    """Where the caller stands on an instrument (api.md: GET /instruments/<id>/qualification)."""

    status: str  # none | requested | scheduled | qualified | expired
    expires_at: datetime | None
    request_id: int | None
    request: TrainingRequest | None = None


def open_request(user: User, instrument: Instrument) -> TrainingRequest | None:
    statement = select(TrainingRequest).where(
        TrainingRequest.user_id == user.id,
        TrainingRequest.instrument_id == instrument.id,
        TrainingRequest.status.in_(OPEN_STATUSES),
    )
    return db.session.scalar(statement)


def qualification(user: User, instrument: Instrument, now: datetime | None = None) -> Qualification:
    now = now or utcnow()
    standing = training_standing(user, instrument, now)
    grant = qualification_of(user, instrument)
    pending = open_request(user, instrument)
    if standing == "qualified":
        status = "qualified"
    elif pending is not None:
        status = pending.status.value
    else:
        status = standing  # "expired" or "none"
    return Qualification(
        status=status,
        expires_at=grant.expires_at if grant is not None else None,
        request_id=pending.id if pending is not None else None,
        request=pending,
    )


def request_training(actor: User, instrument: Instrument, note: str) -> TrainingRequest:
    """Ask to be trained (or refreshed); one open request per user and instrument."""
    now = utcnow()
    if not instrument.requires_training:
        raise Conflict("This instrument needs no training.", code="invalid_state")
    grant = qualification_of(actor, instrument)
    renewal_due = (
        grant is not None
        and grant.expires_at is not None
        and grant.expires_at - now <= RENEWAL_WINDOW
    )
    # Qualified (or managing the instrument, which needs no grant): only a refresher is asked.
    if training_standing(actor, instrument, now) == "qualified" and not renewal_due:
        raise Conflict("You are qualified on this instrument already.", code="duplicate")
    if open_request(actor, instrument) is not None:
        raise Conflict("You have asked for this training already.", code="duplicate")
    request = TrainingRequest(instrument=instrument, user=actor, note=note.strip())
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:
        # A simultaneous request of the same user committed first (the open-request index).
        raise Conflict("You have asked for this training already.", code="duplicate") from None
    return request


def visible_requests(actor: User):
    """SQL condition: the caller's own requests and those on instruments they manage."""
    if is_admin(actor):
        return true()
    return or_(
        TrainingRequest.user_id == actor.id,
        TrainingRequest.instrument_id.in_(managed_instruments(actor)),
    )


def list_requests(
    actor: User, status: TrainingStatus | None, page: int = 1, per_page: int = 50
) -> Page:
    statement = select(TrainingRequest).where(visible_requests(actor))
    if status is not None:
        statement = statement.where(TrainingRequest.status == status)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = db.session.scalars(
        statement.order_by(TrainingRequest.created_at.desc(), TrainingRequest.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def get_request(actor: User, request_id: int) -> TrainingRequest:
    """The request, if the caller may see it (its user, the instrument's managers, admins)."""
    request = db.session.get(TrainingRequest, request_id)
    if request is None or not (
        request.user_id == actor.id or can_manage_instrument(actor, request.instrument)
    ):
        raise NotFound("No training request %(id)s.", {"id": request_id})
    return request


def _decidable(actor: User, request: TrainingRequest, allowed: tuple) -> TrainingRequest:
    """The request locked and read again, if the caller manages it and it is in `allowed`."""
    if not can_manage_instrument(actor, request.instrument):
        raise Forbidden("Only the instrument's managers decide on training.")
    lock_row(request)
    if request.status not in allowed:
        raise Conflict(
            "The training request is %(status)s already.",
            code="invalid_state",
            params={"status": request.status.value},
        )
    return request


def schedule_training(
    actor: User, request: TrainingRequest, start: datetime, end: datetime
) -> TrainingRequest:
    """Put the session on the instrument's calendar, as a booking for the trainee."""
    _decidable(actor, request, (TrainingStatus.REQUESTED,))
    (session,) = request_booking(
        actor,
        request.instrument_id,
        start,
        end,
        purpose=f"培训 Training: {request.user.name}",
        user_id=request.user_id,
    )
    request.booking = session
    request.status = TrainingStatus.SCHEDULED
    request.decided_by_id = actor.id
    db.session.flush()
    return request


def grant_training(
    actor: User, request: TrainingRequest, expires_at: datetime | None = None
) -> TrainingRequest:
    """Qualify the user until `expires_at` (default: the instrument's qualification_months)."""
    _decidable(actor, request, OPEN_STATUSES)
    now = utcnow()
    expires_at = expires_at or add_months(now, request.instrument.qualification_months)
    if expires_at <= now:
        raise BadRequest(
            "A qualification must expire in the future.", fields={"expires_at": ["in the past"]}
        )
    grant = qualification_of(request.user, request.instrument)
    if grant is None:
        grant = QualifiedUser(instrument_id=request.instrument_id, user_id=request.user_id)
        db.session.add(grant)
    grant.granted_at, grant.granted_by_id, grant.expires_at = now, actor.id, expires_at
    grant.reminded_at = None  # the renewed grant will be reminded of in its turn
    request.status = TrainingStatus.GRANTED
    request.decided_by_id = actor.id
    db.session.flush()
    return request


def decline_training(actor: User, request: TrainingRequest, reason: str) -> TrainingRequest:
    if not reason.strip():
        raise BadRequest("Say why the training is declined.", fields={"reason": ["required"]})
    _decidable(actor, request, OPEN_STATUSES)
    request.status = TrainingStatus.DECLINED
    request.reason = reason.strip()
    request.decided_by_id = actor.id
    db.session.flush()
    return request
