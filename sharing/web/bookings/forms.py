"""Booking and downtime forms (the calendar fills the same fields by drag-selection)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from sharing.web.fields import CountField, LocalDateTimeField
from sharing.web.forms import PageForm

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class WaitlistForm(PageForm):
    """The range a refused booking asked for, to get in line for it."""

    start = LocalDateTimeField(_l("Start"), format=LOCAL_FORMAT, validators=[DataRequired()])
    end = LocalDateTimeField(_l("End"), format=LOCAL_FORMAT, validators=[DataRequired()])


class BookingForm(PageForm):
    start = LocalDateTimeField(_l("Start"), format=LOCAL_FORMAT, validators=[DataRequired()])
    end = LocalDateTimeField(_l("End"), format=LOCAL_FORMAT, validators=[DataRequired()])
    purpose = TextAreaField(_l("Purpose (samples, method)"), validators=[Length(max=2000)])
    repeat = SelectField(
        _l("Repeat"),
        choices=[
            SelectChoice("", _l("Does not repeat")),
            SelectChoice("daily", _l("Daily")),
            SelectChoice("weekly", _l("Weekly")),
        ],
        validators=[Optional()],
    )
    count = CountField(_l("Occurrences"), validators=[Optional(), NumberRange(min=2, max=52)])
    on_behalf_email = StringField(
        _l("Book for (e-mail, managers only)"), validators=[Optional(), Length(max=254)]
    )


class ReasonForm(PageForm):
    reason = StringField(_l("Reason"), validators=[Length(max=1000)])


class DowntimeForm(PageForm):
    start = LocalDateTimeField(_l("Start"), format=LOCAL_FORMAT, validators=[DataRequired()])
    end = LocalDateTimeField(_l("End"), format=LOCAL_FORMAT, validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[Length(max=300)])
