"""Assessment pages: customers rate completed sessions and orders from their pages; faults are
reported, resolved and taken out of service from the instrument's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from sharing.assessment import achievements, incidents, ratings, yearly
from sharing.assessment.models import (
    REPORTED_BY_USERS,
    AchievementKind,
    AchievementStatus,
    IncidentKind,
)
from sharing.billing.access import can_see_reports
from sharing.bookings.services import get_booking
from sharing.core.errors import DomainError
from sharing.cruises import figures
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.services import get_instrument
from sharing.orders.services import get_order
from sharing.util.formatting import localized, platform_zone
from sharing.util.timeutil import as_utc, utcnow
from sharing.web.args import count_arg, page_arg
from sharing.web.assessment.forms import (
    AchievementForm,
    OutOfServiceForm,
    RatingForm,
    ResolveForm,
    incident_form,
)
from sharing.web.auth.forms import ActionForm
from sharing.web.forms import show_domain_error

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
    return redirect(url_for("downtimes.downtimes", instrument_id=incident.instrument_id))


def _report_year() -> int:
    year = count_arg("year")
    this_year = utcnow().astimezone(platform_zone()).year
    return year if year is not None and 2000 <= year <= 2100 else this_year


def _assessment(template: str):
    if not can_see_reports(current_user):
        abort(403)
    year = _report_year()
    slug = request.args.get("organisation") or None
    scope = yearly.report_scope_for(current_user, slug)
    report = yearly.yearly_report(year, scope)
    organisations = sorted({row["organisation_name"] for row in report})
    return render_template(
        template,
        year=year,
        report=report,
        totals=yearly.totals(report),
        by_organisation=yearly.totals_by_organisation(report),
        organisation=slug,
        organisation_names=organisations,
        fields=yearly.NATIONAL_FIELDS,
        ship_time=figures.ship_time_year(year, scope),
    )


@bp.get("/reports/assessment")
@login_required
def assessment():
    """The yearly figures of the large instruments, with charts and the national form's files."""
    return _assessment("assessment/yearly.html")


@bp.get("/reports/assessment/summary")
@login_required
def assessment_summary():
    """One printable page: an organisation's (or the platform's) large instruments that year."""
    return _assessment("assessment/summary.html")


@bp.get("/achievements")
@login_required
def achievements_list():
    """Achievements the user may see; the instruments' managers confirm the claimed ones."""
    year = count_arg("year")
    status = request.args.get("status")
    found = achievements.list_achievements(
        current_user,
        year=year if year and 1950 <= year <= 2100 else None,
        status=AchievementStatus(status) if status in set(AchievementStatus) else None,
        page=page_arg(),
    )
    return render_template(
        "assessment/achievements.html",
        page=found,
        year=year,
        status=status,
        may_decide=achievements.may_decide,
        form=ActionForm(),
        counts={
            "invention": achievements.counts_by_year(AchievementKind.PATENT, invention_only=True),
            "major_task": achievements.counts_by_year(AchievementKind.MAJOR_TASK),
        },
    )


@bp.route("/achievements/new", methods=["GET", "POST"])
@login_required
def new_achievement():
    """Record a paper, patent, award, standard or major task and the instruments it used."""
    prefill = count_arg("instrument")
    form = AchievementForm()
    choices = achievements.instruments_to_credit(current_user, also=prefill)
    form.instrument_ids.choices = [SelectChoice(i.id, localized(i)) for i in choices]
    if request.method == "GET":
        form.year.data = utcnow().astimezone(platform_zone()).year
        if prefill:
            form.instrument_ids.data = [prefill]
    if form.validate_on_submit():
        data = {
            "kind": form.kind.data,
            "title": form.title.data,
            "year": form.year.data,
            "reference": form.reference.data or "",
            "invention": form.invention.data,
            "instrument_ids": form.instrument_ids.data,
        }
        try:
            achievements.add_achievement(current_user, data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error, fallback_field="title")
        else:
            flash(_("Recorded. The instruments' managers confirm it, then it counts."), "success")
            return redirect(url_for("assessment.achievements_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("assessment/new_achievement.html", form=form), status


@bp.post("/achievements/<int:achievement_id>/<any(confirm, reject):decision>")
@login_required
def decide_achievement(achievement_id: int, decision: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    achievement = achievements.get_achievement(current_user, achievement_id)
    try:
        achievements.decide_achievement(current_user, achievement, decision == "confirm")
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(
            _("Confirmed.") if decision == "confirm" else _("Marked as not confirmed."), "success"
        )
    return redirect(url_for("assessment.achievements_list", status="claimed"))
