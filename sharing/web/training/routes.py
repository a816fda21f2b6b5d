"""Training pages: ask from the instrument page; the manager's desk of requests."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sharing.auth.access import can_manage_any
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.instruments.services import get_instrument
from sharing.training import services
from sharing.training.models import TrainingStatus
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import as_utc
from sharing.web.training.forms import DeclineForm, GrantForm, ScheduleForm, TrainingRequestForm

bp = Blueprint("training", __name__)


@bp.post("/instruments/<int:instrument_id>/training")
@login_required
def ask(instrument_id: int):
    instrument = get_instrument(instrument_id)
    form = TrainingRequestForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.request_training(current_user, instrument, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("Your request was sent to the instrument's managers."), "success")
    return redirect(url_for("instruments.detail", instrument_id=instrument_id))


@bp.get("/manage/training")
@login_required
def desk():
    """Requests on the manager's instruments: open ones first, then the decided."""
    if not can_manage_any(current_user):
        abort(403)
    wanted = request.args.get("status")
    status = TrainingStatus(wanted) if wanted in set(TrainingStatus) else None
    found = services.list_requests(current_user, status, per_page=100)
    requests = [r for r in found.items if r.user_id != current_user.id]
    return render_template(
        "training/desk.html",
        requests=requests,
        status=status,
        schedule_form=ScheduleForm(),
        grant_form=GrantForm(),
        decline_form=DeclineForm(),
    )


@bp.post("/manage/training/<int:request_id>/<any(schedule, grant, decline):action>")
@login_required
def decide(request_id: int, action: str):
    training = services.get_request(current_user, request_id)
    form = {"schedule": ScheduleForm, "grant": GrantForm, "decline": DeclineForm}[action]()
    if not form.validate_on_submit():
        flash(_("Fill in the form to %(action)s.", action=action), "warning")
        return redirect(url_for("training.desk"))
    zone = platform_zone()
    try:
        if action == "schedule":
            services.schedule_training(
                current_user,
                training,
                as_utc(form.start.data, zone),
                as_utc(form.end.data, zone),
            )
        elif action == "grant":
            expires = form.expires_on.data
            until = as_utc(datetime.combine(expires, time(23, 59)), zone) if expires else None
            services.grant_training(current_user, training, until)
        else:
            services.decline_training(current_user, training, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("Training request of %(name)s: done.", name=training.user.name), "success")
    return redirect(url_for("training.desk"))
