"""Forms of the board: posting a challenge, applying, awarding, completing."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from sharing.challenges.labels import CHALLENGE_FIELD_LABELS
from sharing.web.fields import LocalDateTimeField, MoneyField
from sharing.web.forms import PageForm


class ChallengeForm(PageForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    field = SelectField(
        _l("Field"),
        choices=[SelectChoice(f.value, label) for f, label in CHALLENGE_FIELD_LABELS.items()],
    )
    budget = MoneyField(
        _l("Budget (CNY)"), places=2, validators=[DataRequired(), NumberRange(min=0)]
    )
    deadline = LocalDateTimeField(
        _l("Application deadline"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    description = TextAreaField(
        _l("Description (Markdown)"),
        validators=[Length(max=50_000)],
        render_kw={"rows": 14},
    )


class ApplicationForm(PageForm):
    proposal = TextAreaField(
        _l("Approach (Markdown)"),
        validators=[DataRequired(), Length(max=50_000)],
        render_kw={"rows": 8},
    )
    team = TextAreaField(_l("Team"), validators=[Length(max=10_000)])
    timeline = TextAreaField(_l("Timeline"), validators=[Length(max=10_000)])
    quote = MoneyField(_l("Quote (CNY)"), places=2, validators=[DataRequired(), NumberRange(min=0)])


class CompleteForm(PageForm):
    contract_amount = MoneyField(
        _l("Contract amount (CNY)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=Decimal("0.01"))],
    )
