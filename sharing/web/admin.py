"""Admin pages: organisations and users (appointing managers and admins, disabling accounts)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from sharing.auth.directory import UserQuery, find_users
from sharing.auth.labels import ROLE_LABELS
from sharing.auth.models import Role, User
from sharing.auth.services import create_user, unlock_user
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.orgs.labels import KIND_LABELS
from sharing.orgs.services import create_organisation, get_organisation, list_organisations
from sharing.sso.services import list_servers
from sharing.util.formatting import localized
from sharing.util.timeutil import utcnow
from sharing.web.args import page_arg
from sharing.web.auth.forms import ActionForm
from sharing.web.forms import PageForm, show_domain_error
from sharing.web.guards import admin_required
from sharing.web.safety import safe_next_url

bp = Blueprint("admin", __name__, url_prefix="/admin")


class OrganisationForm(PageForm):
    slug = StringField(_l("Short name (slug)"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=200)])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    )


class UserForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Initial password"), validators=[DataRequired()])
    # Managers are appointed far more often than admins: a slip should not create an admin.
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        default=Role.MANAGER.value,
    )
    organisation = SelectField(_l("Organisation"), validators=[DataRequired()])


@bp.route("/organisations", methods=["GET", "POST"])
@admin_required
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            org = create_organisation(
                form.slug.data, form.name.data, form.kind.data, form.name_en.data
            )
        except DomainError as error:
            show_domain_error(form, error, fallback_field="slug")
        else:
            flash(_("Organisation %(name)s added.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/organisations.html",
        form=form,
        organisations=list_organisations(),
        sign_in_servers={server.organisation_id: server for server in list_servers()},
    ), status


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    form = UserForm()
    organisations = [SelectChoice(o.slug, localized(o)) for o in list_organisations()]
    form.organisation.choices = [SelectChoice("", _("Choose an organisation")), *organisations]
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data,
                form.name.data,
                form.password.data,
                form.role.data,
                get_organisation(form.organisation.data),
            )
        except DomainError as error:
            show_domain_error(form, error, fallback_field="email")
        else:
            flash(_("Account for %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    now = utcnow()
    results = find_users(
        UserQuery(
            words=request.args.get("q", "").strip()[:200],
            organisation=request.args.get("organisation") or None,
            locked_at=now if request.args.get("locked") == "1" else None,
            page=page_arg(),
        )
    )
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/users.html",
        form=form,
        results=results,
        organisations=organisations,
        action_form=ActionForm(),
        now=now,
    ), status


@bp.post("/users/<int:user_id>")
@admin_required
def update_user(user_id: int):
    """Change a user's role, enable/disable the account or lift a sign-in lockout."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    # Back to the list as the admin had searched and paged it.
    back_to_list = safe_next_url(request.form.get("back"), url_for("admin.users"))
    role = request.form.get("role")
    if role in set(Role):
        user.role = Role(role)
    if "active" in request.form:
        if user.id == current_user.id:
            flash(_("You cannot disable your own account."), "warning")
            return redirect(back_to_list)
        user.active = request.form["active"] == "1"
    if request.form.get("unlock") == "1":
        unlock_user(user)
    flash(_("%(name)s updated.", name=user.name), "success")
    return redirect(back_to_list)
