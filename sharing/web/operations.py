"""The operations page for admins: the mail outbox (pending, sent, failed, the last error, a
retry button) and the last run of each background job."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from sharing.core import jobs, outbox
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.web.args import page_arg
from sharing.web.auth.forms import ActionForm
from sharing.web.guards import admin_required

bp = Blueprint("operations", __name__, url_prefix="/admin")


@bp.get("/outbox")
@admin_required
def outbox_page():
    status = request.args.get("status") or None
    if status is not None and status not in outbox.STATUSES:
        abort(404)
    return render_template(
        "admin/outbox.html",
        status=status,
        counts=outbox.counts(),
        mails=outbox.list_mails(status, page_arg(), 50),
        runs=jobs.latest_runs(),
        totals=jobs.run_totals(),
        action_form=ActionForm(),
    )


@bp.post("/outbox/<int:mail_id>/retry")
@admin_required
def retry(mail_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        outbox.retry(mail_id)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("The mail goes out again at the next round."), "success")
    return redirect(url_for("operations.outbox_page", status=request.args.get("status")))
