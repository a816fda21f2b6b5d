"""Assessment pages: customers rate completed sessions and orders from their pages; faults are
reported, resolved and taken out of service from the instrument's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from sharing.assessment import incidents, ratings
from sharing.assessment.models import REPORTED_BY_USERS, IncidentKind
from sharing.bookings.services import get_booking
from sharing.errors import DomainError
from sharing.extensions import db
from sharing.formatting import platform_zone
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.services import get_instrument
from sharing.orders.services import get_order
from sharing.timeutil import as_utc
from sharing.web.assessment.forms import (
    OutOfServiceForm,
    RatingForm,
    ResolveForm,
    incident_form,
)

bp = Blueprint("assessment", __name__)


def _rate(rate, subject, back: str):
    form = RatingForm()
    if not form.validate_on_submit():
        flash(_("Choose a score from 1 to 5."), "warning")
        return redirect(back)
    try:
        rate(current_user, subject, form.score.data, form.comment.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("Thank you: your rating is recorded."), "success")
    return redirect(back)


@bp.post("/bookings/<int:booking_id>/rating")
@login_required
def rate_booking(booking_id: int):
    booking = get_booking(current_user, booking_id)
    back = url_for("bookings.detail", booking_id=booking_id)
    return _rate(ratings.rate_booking, booking, back)


@bp.post("/orders/<int:order_id>/rating")
@login_required
def rate_order(order_id: int):
    order = get_order(current_user, order_id)
    return _rate(ratings.rate_order, order, url_for("orders.detail", order_id=order_id))


@bp.post("/instruments/<int:instrument_id>/incidents")
@login_required
def report_incident(instrument_id: int):
    instrument = get_instrument(instrument_id)
    back = url_for("instruments.detail", instrument_id=instrument_id, _anchor="incidents")
    form = incident_form(current_user, instrument)
    if form is None:
        abort(403)
    if not form.validate_on_submit():
        flash(_("Choose what happened and describe it."), "warning")
        return redirect(back)
    kind = IncidentKind(form.kind.data)
    incidents.report_incident(
        current_user, instrument, kind, form.description.data, form.next_due_on.data
    )
    if kind in REPORTED_BY_USERS:
        flash(_("Thank you: the instrument's managers see your report."), "success")
    else:
        flash(_("Logged."), "success")
    return redirect(back)


@bp.post("/incidents/<int:incident_id>/resolve")
@login_required
def resolve_incident(incident_id: int):
    incident = incidents.get_incident(current_user, incident_id)
    back = url_for("instruments.detail", instrument_id=incident.instrument_id, _anchor="incidents")
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        incidents.resolve_incident(current_user, incident, form.resolution.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("The incident is resolved."), "success")
    return redirect(back)


@bp.post("/incidents/<int:incident_id>/downtime")
@login_required
def take_out_of_service(incident_id: int):
    """The fault becomes a downtime; the downtimes page then offers to cancel what it hits."""
    incident = incidents.get_incident(current_user, incident_id)
    if not can_manage_instrument(current_user, incident.instrument):
        abort(403)
    back = url_for("instruments.detail", instrument_id=incident.instrument_id, _anchor="incidents")
    form = OutOfServiceForm()
    if not form.validate_on_submit():
        flash(_("Give the start and the end of the downtime."), "warning")
        return redirect(back)
    zone = platform_zone()
    try:
        _downtime, affected = incidents.take_out_of_service(
            current_user, incident, as_utc(form.start.data, zone), as_utc(form.end.data, zone)
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return redirect(back)
    flash(
        ngettext(
            "The instrument is out of service; %(num)d booking falls in that time.",
            "The instrument is out of service; %(num)d bookings fall in that time.",
            len(affected),
        ),
        "success",
    )
    return redirect(url_for("bookings.downtimes", instrument_id=incident.instrument_id))
