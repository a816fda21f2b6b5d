"""Sign-in, sign-up and profile forms (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from sharing.auth.passwords import password_problems
from sharing.web.forms import PageForm

# Password managers fill these in and offer to save or generate passwords.
NEW_PASSWORD = {"autocomplete": "new-password"}
CURRENT_PASSWORD = {"autocomplete": "current-password"}
USERNAME = {"autocomplete": "username"}


def password_rule(form, field) -> None:
    """The platform's password rule, said in the user's language (services say it in English)."""
    if field.data and password_problems(field.data):
        # The rule itself is the field's help text, right above this message.
        raise ValidationError(_l("This password does not follow the rule above."))


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        validators=[DataRequired(), Length(max=200), password_rule],
        render_kw=NEW_PASSWORD,
    )


def repeat_password_field():
    return PasswordField(
        _l("Repeat password"),
        validators=[DataRequired(), EqualTo("password", message=_l("Passwords do not match."))],
        render_kw=NEW_PASSWORD,
    )


class LoginForm(PageForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()], render_kw=USERNAME)
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw=CURRENT_PASSWORD
    )
    next = HiddenField()


class SignupForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    organisation = SelectField(_l("Organisation"), coerce=str, validators=[DataRequired()])
    password = new_password_field()
    confirm = repeat_password_field()


class ProfileForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    reminder_hours = SelectField(
        _l("Remind me before my bookings"),
        coerce=int,
        choices=[
            SelectChoice(24, _l("24 hours before")),
            SelectChoice(1, _l("1 hour before")),
            SelectChoice(0, _l("No reminders")),
        ],
    )


class ActionForm(PageForm):
    """An empty form: a button that posts with a CSRF token."""


class ApiTokenForm(PageForm):
    label = StringField(
        _l("What the token is for"),
        validators=[Length(max=80)],
        render_kw={"placeholder": _l("e.g. monthly export script")},
    )


class PasswordChangeForm(PageForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw=CURRENT_PASSWORD
    )
    password = new_password_field(_l("New password"))
    confirm = repeat_password_field()


class ForgotPasswordForm(PageForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Length(max=254)], render_kw=USERNAME
    )


class ResetPasswordForm(PageForm):
    password = new_password_field(_l("New password"))
    confirm = repeat_password_field()
