"""A qualification expires soon: its holder is reminded once, two weeks ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from sharing.core.mail import link_for
from sharing.extensions import db
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument
from sharing.notices.reminders import BATCH, send_reminder
from sharing.util.formatting import format_local

QUALIFICATION_NOTICE = timedelta(days=14)


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
                    "Your qualification for %(name)s ends on %(date)s. Ask for a refresher "
                    "training to keep booking it.",
                    name=instrument.name,
                    date=format_local(grant.expires_at, "%Y-%m-%d"),
                ),
                link_for("instruments.detail", instrument_id=instrument.id),
            ]

        send_reminder(grant.user, "qualification_expiring", compose)
        sent += 1
    return sent
