"""Forms of the training pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from sharing.web.fields import DayField, LocalDateTimeField
from sharing.web.forms import PageForm

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class TrainingRequestForm(PageForm):
    note = TextAreaField(
        _l("What do you want to measure? (optional)"), validators=[Length(max=1000)]
    )


class ScheduleForm(PageForm):
    start = LocalDateTimeField(
        _l("Session start"), format=LOCAL_FORMAT, validators=[DataRequired()]
    )
    end = LocalDateTimeField(_l("Session end"), format=LOCAL_FORMAT, validators=[DataRequired()])


class GrantForm(PageForm):
    expires_on = DayField(
        _l("Qualified until (default: the instrument's period)"), validators=[Optional()]
    )


class DeclineForm(PageForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
