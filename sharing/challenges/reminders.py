"""A challenge's deadline is near: those who applied are reminded once, two days ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Application, Challenge
from sharing.core.mail import link_for
from sharing.extensions import db
from sharing.notices.reminders import BATCH, claim, send_reminder
from sharing.util.formatting import format_local

DEADLINE_NOTICE = timedelta(hours=48)


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
        if not claim(Application, Application.deadline_reminded_at, application_id, now):
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

        send_reminder(application.applicant, "challenge_deadline", compose)
        sent += 1
    return sent
