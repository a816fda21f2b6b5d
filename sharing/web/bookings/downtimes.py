"""Downtime pages: an instrument's downtimes, the bookings they affect, and downtimes imported
from a calendar file."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer

from sharing.bookings import services
from sharing.bookings.ics_import import CalendarImportError, Period, read_periods
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.services import get_instrument
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import as_utc, utcnow
from sharing.web.bookings.forms import DowntimeForm, ReasonForm

bp = Blueprint("downtimes", __name__)
MAX_ICS_BYTES = 1024 * 1024


@bp.route("/instruments/<int:instrument_id>/downtimes", methods=["GET", "POST"])
@login_required
def downtimes(instrument_id: int):
    """Enter maintenance or outages; see and cancel the bookings they hit."""
    instrument = get_instrument(instrument_id)
    if not can_manage_instrument(current_user, instrument):
        abort(403)
    form = DowntimeForm()
    if form.validate_on_submit():
        try:
            _downtime, affected = services.add_downtime(
                current_user,
                instrument,
                as_utc(form.start.data, platform_zone()),
                as_utc(form.end.data, platform_zone()),
                form.reason.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            form.end.errors = [*form.end.errors, error.localized]
        else:
            if affected:
                flash(
                    _(
                        "The downtime hits %(count)s booking(s); cancel them below.",
                        count=len(affected),
                    ),
                    "warning",
                )
            else:
                flash(_("The downtime is entered."), "success")
            return redirect(url_for("downtimes.downtimes", instrument_id=instrument.id))
    entries = services.list_downtimes(instrument)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "bookings/downtimes.html",
        instrument=instrument,
        form=form,
        entries=entries,
        reason_form=ReasonForm(),
    ), status


@bp.post("/downtimes/<int:downtime_id>/cancel-affected")
@login_required
def cancel_affected(downtime_id: int):
    form = ReasonForm()
    downtime = services.get_downtime(current_user, downtime_id)
    if form.validate_on_submit():
        cancelled = services.cancel_for_downtime(current_user, downtime, form.reason.data or "")
        flash(
            _("%(count)s booking(s) cancelled; their bookers are told.", count=len(cancelled)),
            "success",
        )
    return redirect(url_for("downtimes.downtimes", instrument_id=downtime.instrument_id))


@bp.post("/downtimes/<int:downtime_id>/delete")
@login_required
def delete_downtime(downtime_id: int):
    downtime = services.get_downtime(current_user, downtime_id)
    if ReasonForm().validate_on_submit():
        services.delete_downtime(current_user, downtime)
        flash(_("The downtime is removed."), "info")
    return redirect(url_for("downtimes.downtimes", instrument_id=downtime.instrument_id))


IMPORT_SALT = "downtime-import"


@bp.route("/instruments/<int:instrument_id>/downtimes/import", methods=["GET", "POST"])
@login_required
def import_downtimes(instrument_id: int):
    """Upload an .ics, preview the downtimes and the bookings they hit, then create them."""
    instrument = get_instrument(instrument_id)
    if not can_manage_instrument(current_user, instrument):
        abort(403)
    form = ReasonForm()
    signer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=IMPORT_SALT)
    if request.method == "POST" and form.validate_on_submit():
        if "confirm" in request.form:
            return _create_imported(instrument, signer)
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise CalendarImportError(_("Choose an .ics file."))
            now = utcnow()
            periods = read_periods(
                upload.read(MAX_ICS_BYTES + 1)[:MAX_ICS_BYTES],
                platform_zone(),
                now,
                now + timedelta(days=365),
            )
        except CalendarImportError as error:
            flash(_("The file could not be read: %(reason)s", reason=str(error)), "danger")
            return render_template(
                "bookings/import.html", instrument=instrument, form=form, preview=None
            ), 400
        payload = signer.dumps(
            {
                "instrument": instrument.id,
                "version": services.calendar_version(instrument.id),
                "periods": [[p.start.isoformat(), p.end.isoformat(), p.summary] for p in periods],
            }
        )
        preview = services.preview_downtimes(instrument, periods)
        return render_template(
            "bookings/import.html",
            instrument=instrument,
            form=form,
            preview=preview,
            payload=payload,
        )
    return render_template("bookings/import.html", instrument=instrument, form=form, preview=None)


def _create_imported(instrument, signer):
    try:
        preview = signer.loads(request.form.get("payload", ""))
    except BadSignature:
        abort(400)
    if not isinstance(preview, dict) or preview.get("instrument") != instrument.id:
        abort(400)  # a preview of another instrument's calendar
    rows = preview["periods"]
    periods = [
        Period(datetime.fromisoformat(start), datetime.fromisoformat(end), summary)
        for start, end, summary in rows
    ]
    try:
        services.add_previewed_downtimes(current_user, instrument, periods, preview["version"])
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return redirect(url_for("downtimes.import_downtimes", instrument_id=instrument.id), 303)
    flash(_("%(count)s downtime(s) imported.", count=len(rows)), "success")
    return redirect(url_for("downtimes.downtimes", instrument_id=instrument.id))
