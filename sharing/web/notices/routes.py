"""The notification centre's page: the list, read one (and go to its page), read all."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from sharing.notices import services
from sharing.web.args import page_arg
from sharing.web.auth.forms import ActionForm
from sharing.web.safety import safe_next_url

bp = Blueprint("notices", __name__)
PER_PAGE = 20


@bp.get("/notifications")
@login_required
def index():
    unread_only = request.args.get("unread") == "1"
    found = services.list_notices(current_user, unread_only, page_arg(), PER_PAGE)
    return render_template(
        "notices/index.html", notices=found, unread_only=unread_only, form=ActionForm()
    )


@bp.post("/notifications/<int:notice_id>/read")
@login_required
def read(notice_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    notice = services.mark_read(current_user, notice_id)
    return redirect(safe_next_url(notice.url, url_for("notices.index")))


@bp.post("/notifications/read-all")
@login_required
def read_all():
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    return redirect(url_for("notices.index"))
