"""Reminders and waiting-list offers from the background jobs: each sent once, by one sweeper,
even when two sweep at the same moment."""

import threading
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from sharing.assessment.reminders import calibrations_due
from sharing.bookings.models import Booking, WaitlistEntry
from sharing.bookings.reminders import bookings_starting_soon, checkouts_overdue
from sharing.bookings.services import sweep_offers
from sharing.challenges.reminders import deadlines_near
from sharing.challenges.services import apply_to_challenge, post_challenge
from sharing.core.dbsetup import background_writer
from sharing.extensions import db
from sharing.instruments.attached import QualifiedUser
from sharing.notices.models import Notification
from sharing.training.reminders import qualifications_expiring
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import weekday_instrument


def booking_for(instrument, user, start, hours=1, **extra) -> int:
    result = db.session.execute(
        insert(Booking).returning(Booking.id),
        [
            {
                "instrument_id": instrument.id,
                "user_id": user.id,
                "created_by_id": user.id,
                "start": start,
                "end": start + timedelta(hours=hours),
                "blocked_until": start + timedelta(hours=hours),
                "status": "approved",
                "purpose": "",
                "on_behalf": False,
                "sequence": 0,
                "created_at": utcnow(),
                "updated_at": utcnow(),
                **extra,
            }
        ],
    )
    booking_id = result.scalar_one()
    db.session.commit()
    return booking_id


def notices_of(user, kind):
    db.session.rollback()
    return db.session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.kind == kind)
    )


def send_reminders(now=None):
    """Every reminder job once, as a round of the background jobs runs them."""
    now = now or utcnow()
    return sum(
        sweep(now)
        for sweep in (
            bookings_starting_soon,
            checkouts_overdue,
            qualifications_expiring,
            deadlines_near,
            calibrations_due,
        )
    )


def sweep(app, job=send_reminders):
    with app.app_context(), background_writer():
        count = job()
        db.session.commit()
        db.session.remove()
        return count


def test_a_booking_is_reminded_once_within_the_users_lead_time(app, make):
    instrument = weekday_instrument(make)
    soon, tomorrow, quiet = (make.user("researcher") for _ in range(3))
    soon.reminder_hours, quiet.reminder_hours = 1, 0
    db.session.commit()
    now = utcnow()
    booking_for(instrument, soon, now + timedelta(minutes=40))
    booking_for(instrument, soon, now + timedelta(hours=20))  # beyond his one hour
    booking_for(instrument, tomorrow, now + timedelta(hours=22), hours=2)
    booking_for(instrument, quiet, now + timedelta(hours=3))
    assert sweep(app) == 2
    assert sweep(app) == 0
    assert notices_of(soon, "booking_starts_soon") == 1
    assert notices_of(tomorrow, "booking_starts_soon") == 1
    assert notices_of(quiet, "booking_starts_soon") == 0


def test_overdue_check_outs_and_expiring_qualifications(app, make):
    instrument = weekday_instrument(make, requires_training=True)
    user = make.user("researcher")
    ended = utcnow() - timedelta(minutes=40)
    booking_for(
        instrument, user, ended - timedelta(hours=1), checked_in_at=ended - timedelta(hours=1)
    )
    db.session.add(
        QualifiedUser(
            instrument_id=instrument.id, user_id=user.id, expires_at=utcnow() + timedelta(days=5)
        )
    )
    db.session.commit()
    assert sweep(app) == 2
    assert notices_of(user, "checkout_overdue") == 1
    assert notices_of(user, "qualification_expiring") == 1
    assert sweep(app) == 0


def test_applicants_hear_that_the_deadline_is_near(app, make):
    company = make.org("enterprise")
    poster = make.user("enterprise", company)
    challenge = post_challenge(
        poster,
        {
            "title": "深海传感器防腐",
            "description": "方案",
            "field": "new-materials",
            "budget": Decimal("800000.00"),
            "deadline": utcnow() + timedelta(hours=30),
            "status": "open",
        },
    )
    applicant = make.user("researcher")
    apply_to_challenge(applicant, challenge, {"proposal": "方案", "quote": Decimal("1.00")})
    db.session.commit()
    assert sweep(app) == 1
    assert notices_of(applicant, "challenge_deadline") == 1


def test_two_sweepers_at_once_send_each_reminder_once(app, make):
    instrument = weekday_instrument(make)
    users = [make.user("researcher") for _ in range(6)]
    now = utcnow()
    for number, user in enumerate(users):
        booking_for(instrument, user, now + timedelta(hours=2 + number))
    barrier = threading.Barrier(2)
    counts = []

    def sweeper():
        barrier.wait()
        counts.append(sweep(app))

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == len(users)
    assert all(notices_of(user, "booking_starts_soon") == 1 for user in users)


def test_two_sweepers_never_make_the_same_offer_twice(app, make):
    instrument = weekday_instrument(make)
    first, second = make.user("researcher"), make.user("researcher")
    start = utcnow() + timedelta(days=3)
    for user, status, expires in (
        (first, "offered", utcnow() - timedelta(minutes=1)),
        (second, "waiting", None),
    ):
        db.session.add(
            WaitlistEntry(
                instrument_id=instrument.id,
                user_id=user.id,
                start=start,
                end=start + timedelta(hours=1),
                status=status,
                offer_expires_at=expires,
            )
        )
        db.session.commit()
    barrier = threading.Barrier(2)
    counts = []

    def sweeper():
        barrier.wait()
        counts.append(sweep(app, sweep_offers))

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert notices_of(second, "waitlist_offer") == 1
    statuses = db.session.scalars(select(WaitlistEntry.status).order_by(WaitlistEntry.id)).all()
    assert [s.value for s in statuses] == ["expired", "offered"]


def test_managers_hear_once_that_the_latest_calibration_falls_due(app, make):
    from sharing.assessment.models import Incident, IncidentKind, IncidentStatus

    owner = make.org("institute")
    managers = [make.user("manager", owner) for _ in range(2)]
    instrument = weekday_instrument(make, org=owner)
    stranger = make.user("manager")
    today = utcnow().date()

    def calibration(due, days_ago):
        db.session.add(
            Incident(
                instrument_id=instrument.id,
                kind=IncidentKind.CALIBRATION,
                description="年检",
                status=IncidentStatus.RESOLVED,
                reported_by_id=managers[0].id,
                created_at=utcnow() - timedelta(days=days_ago),
                next_due_on=due,
            )
        )

    calibration(today + timedelta(days=3), days_ago=400)  # superseded by the next one
    calibration(today + timedelta(days=10), days_ago=355)
    db.session.commit()
    from sharing.auth.models import Role, User

    everyone = db.session.scalars(
        select(User).where(User.organisation_id == owner.id, User.role == Role.MANAGER)
    ).all()
    assert len(everyone) >= 2
    assert sweep(app) == len(everyone)  # one mail to each manager of the owner
    assert all(notices_of(manager, "calibration_due") == 1 for manager in everyone)
    assert notices_of(stranger, "calibration_due") == 0
    assert sweep(app) == 0
