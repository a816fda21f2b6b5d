"""Reminders, sent by the background jobs of every app process: a booking starts soon (each
user's lead time: off, 1 h or 24 h), a check-out is overdue, a qualification expires soon, a
challenge's deadline is near for those who applied, an instrument's calibration falls due.

Several servers may sweep at once: each reminder is claimed by an UPDATE that only succeeds
while its mark is empty, so exactly one transaction sends it (a second one waits for the row,
then finds the mark set). The mail and its notice leave with that transaction's commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from sharing.assessment.models import Incident, IncidentKind
from sharing.auth.models import Role, User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Application, Challenge
from sharing.extensions import db
from sharing.formatting import format_local, platform_zone
from sharing.instruments.models import Instrument, QualifiedUser
from sharing.mail import link_for, mail_in_their_language, queue_mails
from sharing.timeutil import utcnow

LEAD_CHOICES = (0, 1, 24)  # hours before a booking; 0: off
LONGEST_LEAD = timedelta(hours=max(LEAD_CHOICES))
CHECKOUT_GRACE = timedelta(minutes=15)
QUALIFICATION_NOTICE = timedelta(days=14)
DEADLINE_NOTICE = timedelta(hours=48)
CALIBRATION_NOTICE = timedelta(days=14)
BATCH = 200


def _claim(model, mark, row_id: int, now: datetime) -> bool:
    """Set the row's mark if nobody has: True for the one transaction that did."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == row_id, mark.is_(None))
        .values({mark.key: now})
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _send(person: User, kind: str, compose: Callable[[], tuple[str, list[str]]]) -> None:
    queue_mails(db.session, [replace(mail_in_their_language(person, compose), kind=kind)])


def bookings_starting_soon(now: datetime) -> int:
    """Confirmed bookings within each booker's lead time, not reminded yet."""
    candidates = db.session.execute(
        select(Booking.id, User.reminder_hours)
        .join(User, User.id == Booking.user_id)
        .where(
            Booking.status == BookingStatus.APPROVED,
            Booking.reminded_at.is_(None),
            Booking.start > now,
            Booking.start <= now + LONGEST_LEAD,
            User.reminder_hours > 0,
        )
        .order_by(Booking.start)
        .limit(BATCH)
    ).all()
    sent = 0
    for booking_id, hours in candidates:
        booking = db.session.get(Booking, booking_id)
        if booking.start > now + timedelta(hours=hours):
            continue  # within the longest lead, not yet within this user's
        if not _claim(Booking, Booking.reminded_at, booking_id, now):
            continue

        def compose(booking=booking):
            return _("Starting soon: %(name)s", name=booking.instrument.name), [
                _(
                    "Your booking starts at %(start)s and ends at %(end)s.",
                    start=format_local(booking.start),
                    end=format_local(booking.end),
                ),
                link_for("bookings.detail", booking_id=booking.id),
            ]

        _send(booking.user, "booking_starts_soon", compose)
        sent += 1
    return sent


def checkouts_overdue(now: datetime) -> int:
    """Checked-in bookings past their end whose use was never recorded."""
    ids = db.session.scalars(
        select(Booking.id)
        .where(
            Booking.checked_in_at.is_not(None),
            Booking.used_end.is_(None),
            Booking.checkout_reminded_at.is_(None),
            Booking.end <= now - CHECKOUT_GRACE,
            Booking.end > now - timedelta(days=7),
        )
        .limit(BATCH)
    ).all()
    sent = 0
    for booking_id in ids:
        if not _claim(Booking, Booking.checkout_reminded_at, booking_id, now):
            continue
        booking = db.session.get(Booking, booking_id)

        def compose(booking=booking):
            return _("Check out: %(name)s", name=booking.instrument.name), [
                _(
                    "Your session ended at %(end)s but was not checked out. Record when you "
                    "finished so that the time is billed right.",
                    end=format_local(booking.end),
                ),
                link_for("bookings.detail", booking_id=booking.id),
            ]

        _send(booking.user, "checkout_overdue", compose)
        sent += 1
    return sent


def qualifications_expiring(now: datetime) -> int:
    rows = db.session.execute(
        select(QualifiedUser.instrument_id, QualifiedUser.user_id)
        .where(
            QualifiedUser.expires_at.is_not(None),
            QualifiedUser.expires_at > now,
            QualifiedUser.expires_at <= now + QUALIFICATION_NOTICE,
            QualifiedUser.reminded_at.is_(None),
        )
        .limit(BATCH)
    ).all()
    sent = 0
    for instrument_id, user_id in rows:
        claimed = db.session.execute(
            update(QualifiedUser)
            .where(
                QualifiedUser.instrument_id == instrument_id,
                QualifiedUser.user_id == user_id,
                QualifiedUser.reminded_at.is_(None),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        grant = db.session.get(QualifiedUser, (instrument_id, user_id))
        instrument = db.session.get(Instrument, instrument_id)

        def compose(grant=grant, instrument=instrument):
            return _("Qualification expiring: %(name)s", name=instrument.name), [
                _(
                    "Your qualification ends on %(date)s. Ask for a refresher training to keep "
                    "booking it.",
                    date=format_local(grant.expires_at, "%Y-%m-%d"),
                ),
                link_for("instruments.detail", instrument_id=instrument.id),
            ]

        _send(grant.user, "qualification_expiring", compose)
        sent += 1
    return sent


def deadlines_near(now: datetime) -> int:
    """Applicants of open challenges whose deadline is within two days."""
    ids = db.session.scalars(
        select(Application.id)
        .join(Challenge, Challenge.id == Application.challenge_id)
        .where(
            Challenge.status == ChallengeStatus.OPEN,
            Challenge.deadline > now,
            Challenge.deadline <= now + DEADLINE_NOTICE,
            Application.deadline_reminded_at.is_(None),
        )
        .limit(BATCH)
    ).all()
    sent = 0
    for application_id in ids:
        if not _claim(Application, Application.deadline_reminded_at, application_id, now):
            continue
        application = db.session.get(Application, application_id)

        def compose(application=application):
            challenge = application.challenge
            return _("Deadline near: %(title)s", title=challenge.title), [
                _(
                    "Applications close on %(deadline)s; you can still improve your proposal.",
                    deadline=format_local(challenge.deadline),
                ),
                link_for("challenges.detail", challenge_id=challenge.id),
            ]

        _send(application.applicant, "challenge_deadline", compose)
        sent += 1
    return sent


def calibrations_due(now: datetime) -> int:
    """Managers of instruments whose latest calibration falls due within two weeks."""
    newer = aliased(Incident)
    today = now.astimezone(platform_zone()).date()
    ids = db.session.scalars(
        select(Incident.id)
        .where(
            Incident.kind == IncidentKind.CALIBRATION,
            Incident.next_due_on.is_not(None),
            Incident.next_due_on <= today + CALIBRATION_NOTICE,
            Incident.due_reminded_at.is_(None),
            ~select(newer.id)
            .where(
                newer.instrument_id == Incident.instrument_id,
                newer.kind == IncidentKind.CALIBRATION,
                newer.id > Incident.id,
            )
            .exists(),
        )
        .limit(BATCH)
    ).all()
    sent = 0
    for incident_id in ids:
        if not _claim(Incident, Incident.due_reminded_at, incident_id, now):
            continue
        incident = db.session.get(Incident, incident_id)
        instrument = incident.instrument
        managers = db.session.scalars(
            select(User).where(
                User.organisation_id == instrument.organisation_id,
                User.role == Role.MANAGER,
                User.active.is_(True),
            )
        )
        for manager in managers:

            def compose(incident=incident, instrument=instrument):
                return _("Calibration due: %(name)s", name=instrument.name), [
                    _(
                        "The next calibration is due on %(date)s.",
                        date=incident.next_due_on.isoformat(),
                    ),
                    link_for("instruments.detail", instrument_id=instrument.id),
                ]

            _send(manager, "calibration_due", compose)
            sent += 1
    return sent


SWEEPS = (
    bookings_starting_soon,
    checkouts_overdue,
    qualifications_expiring,
    deadlines_near,
    calibrations_due,
)


def send_reminders(now: datetime | None = None) -> int:
    """Every reminder that is due; how many were sent."""
    now = now or utcnow()
    return sum(sweep(now) for sweep in SWEEPS)
