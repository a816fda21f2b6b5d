"""Reminders of what a cruise's parties owe after return, before it falls due: the chief
scientist of the cruise report (three days ahead of its seventh day), each allocated party's
applicant of its data (two weeks ahead of the cruise's data days).

Each is sent once however many sweepers run: the sweep that sets the row's mark (an UPDATE that
only finds it empty once, and only while the work is still owed) sends it, in the same
transaction; a duty done or already overdue is not reminded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from sharing.core.mail import link_for
from sharing.core.sqltime import days_after
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.cruises.obligations import REPORT_DAYS
from sharing.extensions import db
from sharing.notices.reminders import BATCH, claim, send_reminder
from sharing.util.formatting import local_today

REPORT_NOTICE = timedelta(days=3)
DATA_NOTICE = timedelta(days=14)


def _remind_report(cruise: Cruise) -> None:
    due = cruise.returned_on + timedelta(days=REPORT_DAYS)

    def compose():
        return _("Cruise report due: %(name)s", name=cruise.name), [
            _("The report of the cruise is due on %(date)s.", date=due.isoformat()),
            link_for("cruises.detail", cruise_id=cruise.id),
        ]

    send_reminder(cruise.chief_scientist, "cruise_report_due", compose)


def _remind_data(application: CruiseApplication) -> None:
    cruise = application.cruise
    due = cruise.returned_on + timedelta(days=cruise.data_due_days)

    def compose():
        return _("Cruise data due: %(name)s", name=cruise.name), [
            _(
                "The data of your application “%(project)s” are due on %(date)s.",
                project=application.project,
                date=due.isoformat(),
            ),
            link_for("cruises.detail", cruise_id=cruise.id),
        ]

    send_reminder(application.applicant, "cruise_data_due", compose)


def reports_due(now: datetime) -> int:
    """Chief scientists whose cruise report falls due within three days, not reminded yet."""
    today = local_today(now)
    ids = db.session.scalars(
        select(Cruise.id)
        .where(
            Cruise.status == CruiseStatus.COMPLETED,
            Cruise.reported_on.is_(None),
            Cruise.report_reminded_at.is_(None),
            # today lies within [due - notice, due], due = returned_on + REPORT_DAYS
            Cruise.returned_on >= today - timedelta(days=REPORT_DAYS),
            Cruise.returned_on <= today - timedelta(days=REPORT_DAYS) + REPORT_NOTICE,
        )
        .order_by(Cruise.id)
        .limit(BATCH)
    ).all()
    sent = 0
    for cruise_id in ids:
        if not claim(
            Cruise, Cruise.report_reminded_at, cruise_id, now, Cruise.reported_on.is_(None)
        ):
            continue
        _remind_report(db.session.get(Cruise, cruise_id))
        sent += 1
    return sent


def data_due(now: datetime) -> int:
    """Applicants whose cruise data fall due within two weeks, not reminded yet (back at port:
    a cruise recorded ahead of its return is reminded from the return day)."""
    today = local_today(now)
    due_on = days_after(Cruise.returned_on, Cruise.data_due_days)
    ids = db.session.scalars(
        select(CruiseApplication.id)
        .join(Cruise, Cruise.id == CruiseApplication.cruise_id)
        .where(
            Cruise.status == CruiseStatus.COMPLETED,
            Cruise.returned_on <= today,
            CruiseApplication.status == ApplicationStatus.ALLOCATED,
            CruiseApplication.data_done_on.is_(None),
            CruiseApplication.data_reminded_at.is_(None),
            due_on >= today,
            due_on <= today + DATA_NOTICE,
        )
        .order_by(CruiseApplication.id)
        .limit(BATCH)
    ).all()
    sent = 0
    for application_id in ids:
        still_owed = CruiseApplication.data_done_on.is_(None)
        mark = CruiseApplication.data_reminded_at
        if not claim(CruiseApplication, mark, application_id, now, still_owed):
            continue
        _remind_data(db.session.get(CruiseApplication, application_id))
        sent += 1
    return sent


def obligations_due(now: datetime) -> int:
    """One round of both: the reminders sent."""
    return reports_due(now) + data_due(now)
