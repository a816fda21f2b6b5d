"""An instrument's calibration falls due: its managers are reminded once, two weeks ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from sharing.assessment.models import Incident, IncidentKind
from sharing.auth.models import Role, User
from sharing.core.mail import link_for
from sharing.extensions import db
from sharing.notices.reminders import BATCH, claim, send_reminder
from sharing.util.formatting import platform_zone

CALIBRATION_NOTICE = timedelta(days=14)


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
        if not claim(Incident, Incident.due_reminded_at, incident_id, now):
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

            send_reminder(manager, "calibration_due", compose)
            sent += 1
    return sent
