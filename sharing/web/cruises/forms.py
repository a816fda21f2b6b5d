"""Forms of the cruise pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from sharing.web.fields import CountField, DayField, MoneyField

SPACE = [Optional(), NumberRange(0, 100_000)]


class ApplicationForm(FlaskForm):
    project = StringField(_l("Project"), validators=[DataRequired(), Length(max=300)])
    berths = CountField(_l("Berths"), default=0, validators=[NumberRange(0, 10_000)])
    deck_m2 = CountField(_l("Deck space (m²)"), default=0, validators=SPACE)
    lab_m2 = CountField(_l("Lab space (m²)"), default=0, validators=SPACE)
    station_hours = CountField(_l("Station hours"), default=0, validators=SPACE)
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
    stations = CountField(_l("Stations"), default=0, validators=[NumberRange(0, 100_000)])


class DataForm(FlaskForm):
    description = TextAreaField(_l("The data"), validators=[DataRequired(), Length(max=5000)])
    url = StringField(_l("Where it is"), validators=[Optional(), URL(), Length(max=500)])
    embargo_until = DayField(_l("Embargo until (at most two years)"), validators=[Optional()])


class PublishForm(FlaskForm):
    """A vessel's manager publishes a cruise."""

    vessel_id = SelectField(_l("Vessel"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Cruise name"), validators=[DataRequired(), Length(max=200)])
    departs_on = DayField(_l("Departs on"), validators=[DataRequired()])
    returns_on = DayField(_l("Returns on"), validators=[DataRequired()])
    mobilisation_days = CountField(
        _l("Mobilisation days in port"), default=1, validators=[NumberRange(0, 60)]
    )
    port_from = StringField(_l("Port of departure"), validators=[Length(max=120)])
    port_to = StringField(_l("Port of return"), validators=[Length(max=120)])
    area = StringField(_l("Area"), validators=[Length(max=300)])
    chief_scientist = StringField(
        _l("Chief scientist (e-mail)"), validators=[DataRequired(), Length(max=254)]
    )
    apply_by = DayField(_l("Applications close on"), validators=[DataRequired()])
    day_rate = MoneyField(
        _l("Day rate (yuan)"), validators=[InputRequired(), NumberRange(0, 10**9)]
    )
    share_by = SelectField(
        _l("Cost shared"),
        choices=[
            SelectChoice("berths", _l("by berths allocated")),
            SelectChoice("equal", _l("in equal parts")),
        ],
    )
    data_due_days = CountField(
        _l("Data due (days after return)"), default=60, validators=[NumberRange(1, 730)]
    )
