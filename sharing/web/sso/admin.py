"""The admins' page of an organisation's campus sign-in: server, e-mail domains, default role.
The client secret is typed, sealed and never shown again."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from sharing.auth.campus import configure_campus_sign_in
from sharing.core.errors import DomainError
from sharing.orgs.services import require_organisation
from sharing.sso.services import server_of
from sharing.util.formatting import localized
from sharing.web.forms import PageForm, show_domain_error
from sharing.web.guards import admin_required
from sharing.web.sso.oidc import discovery_url

bp = Blueprint("sso_admin", __name__, url_prefix="/admin")
DOMAIN_SEPARATORS = re.compile(r"[\s,;，；]+")


class SignInServerForm(PageForm):
    protocol = SelectField(
        _l("Protocol"),
        choices=[
            SelectChoice("cas", _l("CAS 3.0 (most universities)")),
            SelectChoice("oidc", _l("OpenID Connect")),
        ],
    )
    server_url = StringField(
        _l("CAS server address"),
        validators=[Length(max=500)],
        render_kw={"placeholder": "https://pass.sdu.edu.cn/cas"},
    )
    issuer = StringField(
        _l("OpenID Connect issuer"),
        validators=[Length(max=500)],
        render_kw={"placeholder": "https://id.example.edu.cn"},
    )
    client_id = StringField(_l("Client ID"), validators=[Length(max=255)])
    client_secret = PasswordField(
        _l("Client secret"), validators=[Length(max=1000)], render_kw={"autocomplete": "off"}
    )
    email_domains = TextAreaField(
        _l("E-mail domains"),
        validators=[Length(max=5000)],
        render_kw={"rows": 3, "placeholder": "sdu.edu.cn\nmail.sdu.edu.cn"},
    )
    default_role = SelectField(
        _l("Role of new accounts"),
        choices=[
            SelectChoice("researcher", _l("Researcher")),
            SelectChoice("enterprise", _l("Enterprise user")),
        ],
    )


def _settings(form: SignInServerForm) -> dict:
    settings = {
        "protocol": form.protocol.data,
        "email_domains": [d for d in DOMAIN_SEPARATORS.split(form.email_domains.data or "") if d],
        "default_role": form.default_role.data,
    }
    if form.protocol.data == "cas":
        settings["server_url"] = form.server_url.data or ""
    else:
        settings.update(
            issuer=form.issuer.data or "",
            client_id=form.client_id.data or "",
            client_secret=form.client_secret.data or "",
        )
    return settings


def _form_for(organisation) -> SignInServerForm:
    server = server_of(organisation)
    if request.method == "POST" or server is None:
        return SignInServerForm()
    return SignInServerForm(
        formdata=None,
        protocol=server.protocol.value,
        server_url=server.server_url,
        issuer=server.issuer,
        client_id=server.client_id,
        email_domains="\n".join(server.domain_names),
        default_role=server.default_role.value,
    )


@bp.route("/organisations/<slug>/sign-in", methods=["GET", "POST"])
@admin_required
def sign_in_server(slug: str):
    """Set, change or remove an organisation's campus sign-in."""
    organisation = require_organisation(slug)
    form = _form_for(organisation)
    if request.method == "POST" and request.form.get("remove") == "1":
        if not form.validate_on_submit():
            abort(400)
        configure_campus_sign_in(current_user, organisation, None)
        flash(
            _("%(name)s no longer signs in through a campus server.", name=localized(organisation)),
            "success",
        )
        return redirect(url_for("sso_admin.sign_in_server", slug=slug))
    if form.validate_on_submit():
        try:
            configure_campus_sign_in(current_user, organisation, _settings(form))
        except DomainError as error:
            show_domain_error(form, error, fallback_field="email_domains")
        else:
            flash(
                _("The campus sign-in of %(name)s is saved.", name=localized(organisation)),
                "success",
            )
            return redirect(url_for("sso_admin.sign_in_server", slug=slug))
    server = server_of(organisation)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/sign_in.html",
        organisation=organisation,
        server=server,
        form=form,
        callback_url=url_for("sso.callback", slug=slug, _external=True),
        discovery=discovery_url(server.issuer) if server and server.issuer else "",
    ), status
