"""Forms of the cruise pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from sharing.web.fields import DayField

SPACE = [Optional(), NumberRange(0, 100_000)]


class ApplicationForm(FlaskForm):
    project = StringField(_l("Project"), validators=[DataRequired(), Length(max=300)])
    berths = IntegerField(_l("Berths"), default=0, validators=[NumberRange(0, 10_000)])
    deck_m2 = IntegerField(_l("Deck space (m²)"), default=0, validators=SPACE)
    lab_m2 = IntegerField(_l("Lab space (m²)"), default=0, validators=SPACE)
    station_hours = IntegerField(_l("Station hours"), default=0, validators=SPACE)
    equipment = StringField(
        _l("Equipment (instrument numbers, comma separated)"), validators=[Length(max=200)]
    )
    plan = TextAreaField(_l("Plan of work"), validators=[Length(max=20000)])
    data_plan = TextAreaField(_l("Data plan"), validators=[Length(max=20000)])


class StepForm(FlaskForm):
    """A button of the cruise page (open, depart, allocate): its CSRF token alone."""


class CompleteForm(FlaskForm):
    returned_on = DayField(_l("Back in port on"), validators=[DataRequired()])


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ReportForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=20000)])
    stations = IntegerField(_l("Stations"), default=0, validators=[NumberRange(0, 100_000)])


class DataForm(FlaskForm):
    description = TextAreaField(_l("The data"), validators=[DataRequired(), Length(max=5000)])
    url = StringField(_l("Where it is"), validators=[Optional(), URL(), Length(max=500)])
    embargo_until = DayField(_l("Embargo until (at most two years)"), validators=[Optional()])
