"""Forms of the needs pipeline: visits, needs and their steps, transfers, milestones."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from sharing.challenges.labels import CHALLENGE_FIELD_LABELS
from sharing.needs.labels import TRANSFER_KIND_LABELS
from sharing.web.fields import DayField, MoneyField
from sharing.web.forms import PageForm


def _field_choices():
    return [SelectChoice(f.value, label) for f, label in CHALLENGE_FIELD_LABELS.items()]


class VisitForm(PageForm):
    company = SelectField(_l("Company"), validators=[DataRequired()])
    date = DayField(_l("Date of the visit"), validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000)], render_kw={"rows": 4})


class NeedForm(PageForm):
    company = SelectField(_l("Company"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    field = SelectField(_l("Field"), choices=_field_choices())
    description = TextAreaField(
        _l("What the company needs"), validators=[Length(max=20_000)], render_kw={"rows": 8}
    )


class MeetingForm(PageForm):
    date = DayField(_l("Date of the meeting"), validators=[DataRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000)], render_kw={"rows": 3})


class ContractForm(PageForm):
    amount = MoneyField(
        _l("Contract amount (CNY)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=Decimal("0.01"))],
    )
    signed_on = DayField(_l("Signed on"), validators=[DataRequired()])


class CloseForm(PageForm):
    reason = StringField(_l("Why it is closed"), validators=[DataRequired(), Length(max=5000)])


class TransferForm(PageForm):
    title = StringField(_l("Result"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, label) for k, label in TRANSFER_KIND_LABELS.items()],
    )
    from_organisation = SelectField(_l("From (institute)"), validators=[DataRequired()])
    to_organisation = SelectField(_l("To (company)"), validators=[DataRequired()])
    amount = MoneyField(
        _l("Contract amount (CNY)"),
        places=2,
        validators=[DataRequired(), NumberRange(min=0)],
    )
    signed_on = DayField(_l("Signed on"), validators=[DataRequired()])


class MilestoneForm(PageForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=200)])
    due = DayField(_l("Due"), validators=[DataRequired()])
    amount = MoneyField(
        _l("Amount (CNY)"), places=2, validators=[InputRequired(), NumberRange(min=Decimal("0.01"))]
    )


class DeliverForm(PageForm):
    note = TextAreaField(_l("What is delivered"), validators=[Length(max=10_000)])


class RejectForm(PageForm):
    reason = StringField(_l("Why it is sent back"), validators=[DataRequired(), Length(max=5000)])
