"""Campus cards: the managers of an organisation (and admins) give its people their cards."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sharing.auth.access import can_manage_any, can_set_card, is_admin
from sharing.auth.cards import set_card_number
from sharing.auth.directory import UserQuery, find_users
from sharing.auth.models import User
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.orgs.services import list_organisations
from sharing.web.args import page_arg
from sharing.web.auth.forms import ActionForm
from sharing.web.safety import safe_next_url

bp = Blueprint("cards", __name__)


@bp.get("/cards")
@login_required
def index():
    """The people whose cards the viewer sets: a manager's organisation, any for admins."""
    if not can_manage_any(current_user):
        abort(403)
    organisation = (
        request.args.get("organisation") or None
        if is_admin(current_user)
        else current_user.organisation.slug
    )
    results = find_users(
        UserQuery(
            words=request.args.get("q", "").strip()[:200],
            organisation=organisation,
            page=page_arg(),
        )
    )
    return render_template(
        "agents/cards.html",
        results=results,
        organisations=list_organisations() if is_admin(current_user) else [],
        form=ActionForm(),
    )


@bp.post("/cards/<int:user_id>")
@login_required
def set_card(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    person = db.session.get(User, user_id)
    if person is None or not can_set_card(current_user, person):
        abort(404)
    typed = request.form.get("card_number", "").strip()
    try:
        set_card_number(current_user, person, typed or None)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        message = _("Card of %(name)s saved.", name=person.name)
        flash(message if typed else _("Card of %(name)s removed.", name=person.name), "success")
    return redirect(safe_next_url(request.form.get("back"), url_for("cards.index")))
