"""The demo's training: qualifications (valid, lapsed), requests waiting and scheduled, and the
labs' own people qualified on the instruments they use."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from sharing.auth.models import User
from sharing.auth.services import get_user_by_email
from sharing.core.errors import DomainError
from sharing.demo.data import (
    BOOKER_EMAILS,
    USERS,
)
from sharing.demo.draws import weekdays_from_today
from sharing.extensions import db
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument
from sharing.instruments.qualifications import qualification_of
from sharing.training.models import TrainingRequest
from sharing.training.services import grant_training, request_training, schedule_training
from sharing.util.timeutil import utcnow

# Internal users pay less and companies more than other academics: the usual sharing tariff.

TRAINED_EMAIL = "researcher@sdu.example"
LAPSED_EMAIL = "researcher@fio.example"
ASKING_EMAILS = ("researcher@ouc.example", "researcher@qnlm.example", "enterprise@biomed.example")


def seed_training(existing: Counter, created: Counter, managers: dict) -> None:
    """Qualifications and training requests, so every demo role has training to see or do."""
    if db.session.scalar(select(TrainingRequest.id).limit(1)) is not None:
        existing["training requests"] += 1
        return
    now = utcnow()
    trained = db.session.scalars(
        select(Instrument).where(Instrument.requires_training).order_by(Instrument.id)
    ).all()
    admin = get_user_by_email(USERS[0][0])

    def manager_of(instrument):
        return managers.get(instrument.organisation.slug) or admin

    qualified = get_user_by_email(TRAINED_EMAIL)
    for number, instrument in enumerate(trained[:12]):
        request = request_training(qualified, instrument, "课题需要，已读操作规程")
        # One grant lapses within the reminder's fortnight; the others last most of a year.
        lasts = timedelta(days=10) if number == 3 else timedelta(days=200 + 15 * number)
        grant_training(manager_of(instrument), request, now + lasts)
        created["qualifications"] += 1
    lapsed = get_user_by_email(LAPSED_EMAIL)
    request = request_training(lapsed, trained[0], "")
    grant_training(manager_of(trained[0]), request, now + timedelta(days=1))
    qualification_of(lapsed, trained[0]).expires_at = now - timedelta(days=20)
    created["qualifications"] += 1
    notes = (
        "做微塑料表面形貌，需要上机培训",
        "想学习谱图采集与数据处理",
        "企业质检需要，请安排培训",
    )
    for number, email in enumerate(ASKING_EMAILS):
        asker = get_user_by_email(email)
        instrument = trained[12 + number]
        request = request_training(asker, instrument, notes[number])
        created["training requests"] += 1
        if number == 0:
            _schedule_demo_session(manager_of(instrument), request)
    db.session.flush()
    created["qualifications"] += _qualify_lab_people(trained, manager_of, now)


# Outside users trained on the gear of organisations with no demo booker of their own: ocean
# researchers on the deep-sea centre's slot-booked gear (the ROV itself goes out on loan with
# its pilots), the car maker on the materials testers and CT, the equipment maker on the
# hydrophone calibration, a materials researcher on the environmental SEM.
TRAINED_FROM_OUTSIDE = {
    "ndsc": ("researcher@fio.example", "researcher@qnlm.example"),
    "heu-qd": ("enterprise@jimo-auto.example",),
    "tju-qiot": ("enterprise@marine-eq.example",),
    "smit": ("researcher@sdu.example",),
}


def _qualify_lab_people(trained, manager_of, now: datetime) -> int:
    """Every demo booker qualified on the training instruments of their own organisation (and
    outside users where no booker of the owner's is), as a lab's own people are; grants of some
    months ago that last a year. Those asking for training or lapsed keep their standing."""
    asked = set(db.session.execute(select(TrainingRequest.user_id, TrainingRequest.instrument_id)))
    people = [get_user_by_email(email) for email in BOOKER_EMAILS]
    granted = 0
    for instrument in trained:
        for person in people:
            own = person.organisation_id == instrument.organisation_id
            outside = person.email in TRAINED_FROM_OUTSIDE.get(instrument.organisation.slug, ())
            if not (own or outside) or (person.id, instrument.id) in asked:
                continue
            if qualification_of(person, instrument) is not None:
                continue
            db.session.add(
                QualifiedUser(
                    instrument_id=instrument.id,
                    user_id=person.id,
                    granted_at=now - timedelta(days=120),
                    granted_by_id=manager_of(instrument).id,
                    expires_at=now + timedelta(days=245),
                )
            )
            granted += 1
    db.session.flush()
    return granted


def _schedule_demo_session(manager: User, request) -> None:
    """The first free weekday afternoon next week, as the training session."""
    for day in weekdays_from_today(10, step=1)[3:]:
        start = day + timedelta(hours=14)
        try:
            with db.session.begin_nested():
                schedule_training(manager, request, start, start + timedelta(hours=2))
            return
        except DomainError:
            continue
