"""Forms of the assessment pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from sharing.assessment import incidents
from sharing.assessment.labels import ACHIEVEMENT_KIND_LABELS, INCIDENT_KIND_LABELS
from sharing.assessment.models import SCORES, IncidentKind
from sharing.web.fields import CountField, DayField, LocalDateTimeField
from sharing.web.forms import PageForm

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class RatingForm(PageForm):
    score = RadioField(
        _l("Your score"),
        choices=[SelectChoice(score, str(score)) for score in SCORES],
        validators=[InputRequired(_l("Choose a score from 1 to 5."))],
        coerce=int,
    )
    comment = TextAreaField(
        _l("Comment (optional: the lab's managers read it)"),
        validators=[Length(max=2000)],
        render_kw={"rows": 2},
    )


class IncidentForm(PageForm):
    kind = SelectField(_l("What happened"), choices=[], validators=[InputRequired()])
    description = TextAreaField(
        _l("Description"),
        validators=[InputRequired(_l("Describe what happened.")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    next_due_on = DayField(_l("Next calibration due (calibration only)"), validators=[Optional()])


class ResolveForm(PageForm):
    resolution = TextAreaField(
        _l("How it was fixed"), validators=[Length(max=5000)], render_kw={"rows": 2}
    )


class OutOfServiceForm(PageForm):
    start = LocalDateTimeField(
        _l("Out of service from"), format=LOCAL_FORMAT, validators=[InputRequired()]
    )
    end = LocalDateTimeField(_l("Until"), format=LOCAL_FORMAT, validators=[InputRequired()])


def incident_form(user, instrument) -> IncidentForm | None:
    """The report form with the kinds this user may log here; None if they may log none."""
    if not user.is_authenticated:
        return None
    kinds = [kind for kind in IncidentKind if incidents.may_report(user, instrument, kind)]
    if not kinds:
        return None
    form = IncidentForm()
    form.kind.choices = [SelectChoice(kind.value, INCIDENT_KIND_LABELS[kind]) for kind in kinds]
    return form


class AchievementForm(PageForm):
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice(kind.value, label) for kind, label in ACHIEVEMENT_KIND_LABELS.items()
        ],
    )
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=300)])
    year = CountField(_l("Year"), validators=[InputRequired(), NumberRange(1950, 2100)])
    reference = StringField(
        _l("Reference (DOI, patent or standard number)"), validators=[Length(max=200)]
    )
    invention = BooleanField(_l("An invention patent"))
    instrument_ids = SelectMultipleField(_l("Instruments the work used"), coerce=int)
