"""What a cruise's parties owe after return: the chief scientist's cruise report and each
allocated party's data (with an embargo of at most two years); who owes overdue work."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from sharing.auth.models import User
from sharing.core.errors import BadRequest, Conflict, Forbidden
from sharing.core.locking import lock_row
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.cruises.obligations import (
    REPORT_DAYS,
    Delivery,
    Obligation,
    is_overdue,
    latest_embargo,
    obligations_of,
)
from sharing.extensions import db
from sharing.util.formatting import local_today


def obligations_for(cruise: Cruise, today: date) -> list[Obligation]:
    """The report and data owed for a completed cruise (none before it is back)."""
    deliveries = [
        Delivery(a.id, a.data_done_on)
        for a in cruise.applications
        if a.status == ApplicationStatus.ALLOCATED
    ]
    return obligations_of(
        cruise.returned_on, cruise.reported_on, cruise.data_due_days, deliveries, today
    )


def overdue_obligations(user_id: int, today: date) -> list[tuple[int, str]]:
    """(cruise id, kind) of every overdue duty of the person: their undelivered data and, as
    chief scientist, their unwritten reports."""
    data = db.session.execute(
        select(Cruise.id, Cruise.returned_on, Cruise.data_due_days)
        .join(CruiseApplication, CruiseApplication.cruise_id == Cruise.id)
        .where(
            CruiseApplication.applicant_id == user_id,
            CruiseApplication.status == ApplicationStatus.ALLOCATED,
            CruiseApplication.data_done_on.is_(None),
            Cruise.status == CruiseStatus.COMPLETED,
        )
    )
    owed = [
        (cruise_id, "data")
        for cruise_id, back, days in data
        if is_overdue(back + timedelta(days=days), None, today)
    ]
    reports = db.session.execute(
        select(Cruise.id, Cruise.returned_on).where(
            Cruise.chief_scientist_id == user_id,
            Cruise.status == CruiseStatus.COMPLETED,
            Cruise.reported_on.is_(None),
        )
    )
    owed += [
        (cruise_id, "cruise_report")
        for cruise_id, back in reports
        if is_overdue(back + timedelta(days=REPORT_DAYS), None, today)
    ]
    return owed


def _completed(cruise: Cruise) -> None:
    if cruise.status != CruiseStatus.COMPLETED:
        raise Conflict(
            "The cruise is not back yet.", code="invalid_state", status=cruise.status.value
        )


def file_report(
    actor: User, cruise: Cruise, summary: str, stations: int, today: date | None = None
) -> Cruise:
    """The chief scientist's cruise report, once."""
    if actor.id != cruise.chief_scientist_id:
        raise Forbidden("The chief scientist writes the cruise report.")
    if not summary.strip():
        raise BadRequest("Summarise the cruise.", fields={"summary": ["required"]})
    lock_row(cruise)
    _completed(cruise)
    if cruise.reported_on is not None:
        raise Conflict("The cruise report is in already.", code="duplicate")
    cruise.report_summary, cruise.report_stations = summary.strip(), stations
    cruise.reported_on = today or local_today()
    db.session.flush()
    return cruise


def deliver_data(
    actor: User,
    application: CruiseApplication,
    description: str,
    url: str,
    embargo_until: date | None,
    today: date | None = None,
) -> CruiseApplication:
    """The party's data record, once; an embargo runs at most two years from delivery."""
    if actor.id != application.applicant_id:
        raise Forbidden("The applicant delivers the application's data.")
    today = today or local_today()
    if not description.strip():
        raise BadRequest("Describe the data.", fields={"description": ["required"]})
    if embargo_until is not None and not today <= embargo_until <= latest_embargo(today):
        raise BadRequest(
            "An embargo ends within two years.",
            fields={"embargo_until": ["At most two years from today, and not in the past."]},
        )
    lock_row(application)
    _completed(application.cruise)
    if application.status != ApplicationStatus.ALLOCATED:
        raise Conflict("Only an allocated application owes data.", code="invalid_state")
    if application.data_done_on is not None:
        raise Conflict("The data record is in already.", code="duplicate")
    application.data_description, application.data_url = description.strip(), url.strip()
    application.embargo_until, application.data_done_on = embargo_until, today
    db.session.flush()
    return application
