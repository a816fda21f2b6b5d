"""Pages: sign in, sign out, sign up, profile, changing and resetting the password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from sharing.auth.campus import has_campus_identity
from sharing.auth.labels import ROLE_LABELS
from sharing.auth.recovery import request_password_reset, user_for_reset_token
from sharing.auth.services import (
    AccountLocked,
    CampusSignInRequired,
    authenticate,
    calendar_feed_url,
    change_password,
    end_sessions,
    issue_api_token,
    live_api_tokens,
    revoke_api_tokens,
    rotate_calendar_token,
    set_password,
    sign_up,
)
from sharing.core.errors import DomainError
from sharing.extensions import limiter
from sharing.orgs.models import OrgKind
from sharing.orgs.services import get_organisation, list_organisations
from sharing.sso.services import list_servers
from sharing.util.formatting import format_local, localized
from sharing.util.numbers import parse_count
from sharing.web.auth.forms import (
    ActionForm,
    ApiTokenForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
)
from sharing.web.forms import show_domain_error
from sharing.web.safety import safe_next_url
from sharing.web.sso.flow import LOGOUT_KEY, forget_sign_in
from sharing.web.sso.routes import campus_logout_url

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Sign in with e-mail and password, or with a campus account (offered for the address's
    domain as it is typed); `next` may only lead back into the site."""
    form = LoginForm(next=request.args.get("next", ""))
    campus = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except CampusSignInRequired as required:
            campus = required.server
            form.email.errors.append(
                _(
                    "Addresses of %(organisation)s sign in with their campus account, not "
                    "with a password.",
                    organisation=localized(campus.organisation),
                )
            )
        except AccountLocked as locked:
            form.password.errors.append(
                _(
                    "Too many wrong passwords: this account is locked until %(time)s. "
                    "Resetting the password (Forgot your password?) unlocks it at once, "
                    "as can an administrator.",
                    time=format_local(locked.locked_until),
                )
            )
        else:
            if user is not None:
                login_user(user)
                return redirect(safe_next_url(form.next.data, url_for("main.start")))
            form.password.errors.append(_("E-mail or password is wrong."))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/login.html", form=form, campus=campus, campus_servers=_campus_choices(form)
    ), status


def _campus_choices(form) -> list[dict]:
    """The organisations that offer campus sign-in, for the page and its script."""
    next_url = safe_next_url(form.next.data, "")
    return [
        {
            "slug": server.organisation.slug,
            "name": localized(server.organisation),
            "domains": server.domain_names,
            "url": url_for("sso.login", slug=server.organisation.slug, next=next_url or None),
        }
        for server in list_servers()
    ]


@bp.post("/logout")
@login_required
def logout():
    """End the platform's session; after a campus sign-in, the server's sign-out follows."""
    # Ended on the server too: a copy of the cookie taken before opens nothing after this.
    end_sessions(current_user._get_current_object())
    campus_logout = campus_logout_url(forget_sign_in())
    logout_user()
    if campus_logout:  # its page says so, on the way to the server's sign-out
        session[LOGOUT_KEY] = campus_logout
        return redirect(url_for("sso.signed_out"))
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def signup():
    """Self-service registration for researchers and company staff."""
    form = SignupForm()
    campus_slug = None
    open_kinds = {OrgKind.INSTITUTE, OrgKind.UNIVERSITY, OrgKind.ENTERPRISE}
    form.organisation.choices = [SelectChoice("", _("Choose your organisation"))] + [
        SelectChoice(org.slug, localized(org)) for org in list_organisations(open_kinds)
    ]
    if form.validate_on_submit():
        organisation = get_organisation(form.organisation.data)
        try:
            user = sign_up(form.email.data, form.name.data, form.password.data, organisation)
        except DomainError as error:
            show_domain_error(form, error, fallback_field="email")
            campus_slug = error.details.get("organisation")
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.name), "success")
            return redirect(url_for("instruments.catalog"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/signup.html", form=form, campus_slug=campus_slug), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """The user's details, language, calendar subscription link and API tokens."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.phone = (form.phone.data or "").strip()
        current_user.reminder_hours = form.reminder_hours.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return _profile_page(form)


def _profile_page(form, token_form=None, new_token: str | None = None, status: int = 200):
    response = render_template(
        "auth/profile.html",
        form=form,
        feed_url=calendar_feed_url(current_user),
        role_label=ROLE_LABELS[current_user.role],
        rotate_form=ActionForm(),
        token_form=token_form or ApiTokenForm(formdata=None),
        new_token=new_token,
        api_tokens=live_api_tokens(current_user),
        campus_account=has_campus_identity(current_user),
    )
    return response, status, {"Cache-Control": "no-store"}


@bp.post("/profile/tokens")
@login_required
@limiter.limit("10 per minute")
def create_token():
    """A new API token for scripts, shown once on this page (campus accounts have no password
    for POST /api/v1/auth/tokens)."""
    token_form = ApiTokenForm()
    if not token_form.validate_on_submit():
        return _profile_page(ProfileForm(formdata=None, obj=current_user), token_form, status=400)
    token = issue_api_token(current_user, token_form.label.data or "")
    return _profile_page(ProfileForm(formdata=None, obj=current_user), new_token=token)


@bp.post("/profile/calendar-token")
@login_required
def rotate_feed():
    """Issue a new calendar feed URL; the old one stops working."""
    if ActionForm().validate_on_submit():
        rotate_calendar_token(current_user)
        flash(_("Your calendar link was renewed. Subscribe again with the new link."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/profile/tokens/revoke")
@login_required
def revoke_tokens():
    """Revoke one API token (`token` names it) or, without one, all of them."""
    if ActionForm().validate_on_submit():
        token = request.form.get("token", "")
        try:
            token_id = parse_count(token) if token else None
        except ValueError:
            abort(400)
        revoked = revoke_api_tokens(current_user, token_id)
        flash(_("%(count)s API token(s) revoked.", count=revoked), "success")
    return redirect(url_for("auth.profile") + "#api-tokens")


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per minute", methods=["POST"])
def password():
    """Choose a new password, proving the current one; other sessions end."""
    form = PasswordChangeForm()
    user = current_user._get_current_object()  # login_user below needs the user, not the proxy
    if form.validate_on_submit():
        try:
            change_password(user, form.current_password.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error, fallback_field="password")
        else:
            login_user(user)  # this session follows the new password; the others end
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("auth.profile"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        flash(
            _(
                "If %(email)s has an account, a link to choose a new password is on its way. "
                "It works once, for one hour.",
                email=form.email.data.strip(),
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    """Set a new password from a mailed link; a spent or expired link says so."""
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset.html", form=None), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data)
        except DomainError as error:
            show_domain_error(form, error, fallback_field="password")
        else:
            if current_user.is_authenticated:
                logout_user()
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset.html", form=form, user=user), status
