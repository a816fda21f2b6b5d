"""The instrument editing form and its translation into service changes."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from sharing.instruments.labels import (
    BOOKING_UNIT_LABELS,
    SHARE_MODE_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    UNIT_LABELS,
    WEEKDAY_LABELS,
)
from sharing.instruments.models import Instrument
from sharing.instruments.register import NATIONAL_CODE, ShareMode, countries
from sharing.instruments.rules import (
    BookingUnit,
    CustomerCategory,
    OpenWindow,
    RateUnit,
    format_minute,
    parse_minute,
)
from sharing.instruments.services import (
    BILLING_FIELDS,
    CATALOG_FIELDS,
    LOAN_FIELDS,
    LOAN_RULE_FIELDS,
    RULE_FIELDS,
)
from sharing.web.fields import CountField, DayField, MoneyField
from sharing.web.forms import PageForm


def parse_day_windows(weekday: int, text: str) -> list[OpenWindow]:
    """'08:00-12:00, 13:00-20:00' into windows; an empty text means closed that day."""
    windows = []
    for part in filter(None, (chunk.strip() for chunk in text.split(","))):
        start_text, sep, end_text = part.partition("-")
        if not sep:
            raise ValueError(part)
        windows.append(
            OpenWindow(weekday, parse_minute(start_text.strip()), parse_minute(end_text.strip()))
        )
    return windows


def format_day_windows(windows: list[OpenWindow]) -> str:
    return ", ".join(
        f"{format_minute(w.start_minute)}-{format_minute(w.end_minute)}" for w in windows
    )


def _money_field(label):
    return MoneyField(label, places=2, validators=[Optional(), NumberRange(min=0)])


# Where most of the Blue Valley's large instruments come from, first; then every country by name.
COMMON_ORIGINS = ("CN", "US", "DE", "JP", "GB", "CH", "FR", "NL", "AT", "SE")


def _country_choices() -> list[SelectChoice]:
    names = countries(str(get_locale() or "zh"))
    rest = sorted((code for code in names if code not in COMMON_ORIGINS), key=names.__getitem__)
    return [SelectChoice("", "—")] + [
        SelectChoice(code, f"{names[code]} ({code})") for code in (*COMMON_ORIGINS, *rest)
    ]


class InstrumentForm(PageForm):
    """Every catalog field, booking rule, billing term, rate and open-hours window."""

    name = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=200)])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    organisation = SelectField(_l("Owning organisation"), validators=[Optional()])
    model = StringField(_l("Model"), validators=[Length(max=120)])
    manufacturer = StringField(_l("Manufacturer"), validators=[Length(max=120)])
    location = StringField(_l("Location (building/room)"), validators=[Length(max=200)])
    original_value = MoneyField(
        _l("Original value (CNY)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    year_commissioned = CountField(
        _l("Year commissioned"), validators=[Optional(), NumberRange(min=1950, max=2100)]
    )
    status = SelectField(
        _l("Status"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()]
    )
    specifications = TextAreaField(_l("Main specifications"))
    functions = TextAreaField(_l("Main functions"))
    applications = TextAreaField(_l("Typical applications"))
    photo_url = StringField(_l("Photo URL"), validators=[Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=120)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=40)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Length(max=254)])
    requires_approval = BooleanField(_l("Bookings need a manager's approval"))
    requires_training = BooleanField(_l("Only qualified (trained) users may book"))
    accepts_samples = BooleanField(_l("Accepts samples for testing"))
    sample_quote_required = BooleanField(_l("Sample orders are quoted before acceptance"))
    turnaround_days = CountField(
        _l("Typical turnaround (days)"), validators=[Optional(), NumberRange(min=1, max=365)]
    )
    qualification_months = CountField(
        _l("A qualification lasts (months)"),
        validators=[Optional(), NumberRange(min=1, max=120)],
    )
    waitlist_hold_minutes = CountField(
        _l("A freed slot is held for the first in line (minutes)"),
        validators=[Optional(), NumberRange(min=5, max=7 * 24 * 60)],
    )

    national_code = StringField(
        _l("National category code"),
        validators=[
            Optional(),
            Regexp(rf"^{NATIONAL_CODE.pattern}$", message=_l("Six or eight digits.")),
        ],
    )
    source = SelectField(
        _l("Source"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(s.value, label) for s, label in SOURCE_LABELS.items()],
        default="",
    )
    country_of_origin = SelectField(_l("Country of origin"), choices=_country_choices, default="")
    share_mode = SelectField(
        _l("Share mode"),
        choices=[SelectChoice(m.value, label) for m, label in SHARE_MODE_LABELS.items()],
        default=ShareMode.OPEN.value,
    )
    purchased_on = DayField(_l("Purchased on"), validators=[Optional()])

    slot_minutes = CountField(
        _l("Slot grid (minutes)"), validators=[DataRequired(), NumberRange(min=5, max=1440)]
    )
    min_minutes = CountField(
        _l("Shortest booking (minutes)"), validators=[DataRequired(), NumberRange(min=5)]
    )
    max_minutes = CountField(
        _l("Longest booking (minutes)"),
        validators=[DataRequired(), NumberRange(min=5, max=60 * 24 * 14)],
    )
    notice_hours = CountField(
        _l("Book at least (hours ahead)"), validators=[Optional(), NumberRange(min=0, max=24 * 60)]
    )
    horizon_days = CountField(
        _l("Book at most (days ahead)"), validators=[DataRequired(), NumberRange(min=1, max=730)]
    )
    buffer_minutes = CountField(
        _l("Buffer after each booking (minutes)"),
        validators=[Optional(), NumberRange(min=0, max=1440)],
    )
    max_future_bookings = CountField(
        _l("Most future bookings per user"), validators=[Optional(), NumberRange(min=1)]
    )
    max_hours_per_week = CountField(
        _l("Most hours per user per week"), validators=[Optional(), NumberRange(min=1)]
    )
    always_open = BooleanField(_l("Open around the clock (24/7)"))

    # Day instruments (sea-going gear, sharing.loans): lent by whole days, not booked by the slot.
    booking_unit = SelectField(
        _l("Booked or lent"),
        choices=[SelectChoice(u.value, label) for u, label in BOOKING_UNIT_LABELS.items()],
        default=BookingUnit.SLOT.value,
    )
    min_days = CountField(
        _l("Shortest loan (days)"), validators=[Optional(), NumberRange(min=1, max=365)]
    )
    max_days = CountField(
        _l("Longest loan (days)"), validators=[Optional(), NumberRange(min=1, max=365)]
    )
    loan_turnaround_days = CountField(
        _l("Days kept for inspection after a return"),
        validators=[Optional(), NumberRange(min=0, max=60)],
    )
    mobilisation_fee = _money_field(_l("Mobilisation fee per loan (CNY)"))
    deposit = _money_field(_l("Deposit (CNY)"))
    replacement_value = _money_field(_l("Replacement value (CNY)"))
    insurance_required = BooleanField(_l("The borrower must name an insurance policy"))

    increment_minutes = CountField(
        _l("Billing increment (minutes)"), validators=[DataRequired(), NumberRange(min=1, max=1440)]
    )
    minimum_quantity = MoneyField(
        _l("Minimum charge (units)"), places=2, validators=[Optional(), NumberRange(min=0)]
    )
    cancel_window_hours = CountField(
        _l("Late-cancellation window (hours)"), validators=[Optional(), NumberRange(min=0)]
    )
    late_cancel_share = MoneyField(
        _l("Late-cancellation share"), places=2, validators=[Optional(), NumberRange(min=0, max=1)]
    )
    no_show_share = MoneyField(
        _l("No-show share"), places=2, validators=[Optional(), NumberRange(min=0, max=1)]
    )
    no_show_grace_minutes = CountField(
        _l("No-show grace period (minutes)"), validators=[Optional(), NumberRange(min=0)]
    )
    check_in_window_minutes = CountField(
        _l("Check-in opens (minutes before the start)"),
        validators=[Optional(), NumberRange(min=0, max=1440)],
    )


# Open hours per weekday and a price per (category, unit) pair are generated fields.
for _day in range(7):
    setattr(
        InstrumentForm,
        f"open_{_day}",
        StringField(WEEKDAY_LABELS[_day], validators=[Length(max=100)]),
    )
for _category in CustomerCategory:
    for _unit in RateUnit:
        setattr(
            InstrumentForm,
            f"rate_{_category.value}_{_unit.value}",
            _money_field(UNIT_LABELS[_unit]),
        )


def _validate_open(form, field):
    day = int(field.name.rsplit("_", 1)[1])
    try:
        parse_day_windows(day, field.data or "")
    except ValueError:
        raise ValidationError(_l("Write windows like 08:00-12:00, 13:00-20:00.")) from None


for _day in range(7):
    getattr(InstrumentForm, f"open_{_day}").kwargs["validators"].append(_validate_open)


def fill_form(form: InstrumentForm, instrument: Instrument) -> None:
    """Show an instrument's current values in the form."""
    for name in (*CATALOG_FIELDS, *RULE_FIELDS, *BILLING_FIELDS):
        getattr(form, name).data = getattr(instrument, name)
    form.national_code.data = instrument.national_code
    form.source.data = instrument.source.value if instrument.source else ""
    form.country_of_origin.data = instrument.country_of_origin
    form.share_mode.data = instrument.share_mode.value
    form.purchased_on.data = instrument.purchased_on
    form.category.data = instrument.category.slug
    form.organisation.data = instrument.organisation.slug
    form.status.data = instrument.status.value
    windows = [w.as_window() for w in instrument.open_hours]
    form.always_open.data = not windows
    for day in range(7):
        getattr(form, f"open_{day}").data = format_day_windows(
            [w for w in windows if w.weekday == day]
        )
    for rate in instrument.rates:
        getattr(form, f"rate_{rate.category.value}_{rate.unit.value}").data = rate.price
    form.booking_unit.data = instrument.booking_unit.value
    form.loan_turnaround_days.data = instrument.loan_turnaround_days
    for name in (*LOAN_FIELDS, *LOAN_RULE_FIELDS):
        if name != "booking_unit":
            getattr(form, name).data = getattr(instrument, name)


def _loan_changes(form: InstrumentForm) -> tuple[dict, dict]:
    """The day instrument's terms and its rules in days; a blank day count keeps its value."""
    terms = {
        "booking_unit": form.booking_unit.data or BookingUnit.SLOT.value,
        "deposit": form.deposit.data or Decimal("0"),
        "mobilisation_fee": form.mobilisation_fee.data or Decimal("0"),
        "replacement_value": form.replacement_value.data,
        "insurance_required": bool(form.insurance_required.data),
    }
    days = {
        "min_days": form.min_days.data,
        "max_days": form.max_days.data,
        "turnaround_days": form.loan_turnaround_days.data,
    }
    return terms, {name: value for name, value in days.items() if value is not None}


def form_changes(form: InstrumentForm) -> dict:
    """The service's change dict from a validated form."""
    data = {name: getattr(form, name).data for name in CATALOG_FIELDS}
    for kept in ("qualification_months", "waitlist_hold_minutes"):
        if data[kept] is None:
            del data[kept]  # left blank: the instrument keeps its value
    for text_field in (
        "name_en",
        "model",
        "manufacturer",
        "location",
        "specifications",
        "functions",
        "applications",
        "photo_url",
        "contact_name",
        "contact_phone",
        "contact_email",
    ):
        data[text_field] = (data[text_field] or "").strip()
    data["original_value"] = data["original_value"] or Decimal("0")
    data["category"] = form.category.data
    data["status"] = form.status.data
    data["national_code"] = (form.national_code.data or "").strip()
    data["source"] = form.source.data or None
    data["country_of_origin"] = form.country_of_origin.data or ""
    data["share_mode"] = form.share_mode.data
    data["purchased_on"] = form.purchased_on.data
    if form.organisation.data:
        data["organisation"] = form.organisation.data
    rules = {name: getattr(form, name).data for name in RULE_FIELDS}
    rules["notice_hours"] = rules["notice_hours"] or 0
    rules["buffer_minutes"] = rules["buffer_minutes"] or 0
    windows: list[OpenWindow] = []
    if not form.always_open.data:
        for day in range(7):
            windows += parse_day_windows(day, getattr(form, f"open_{day}").data or "")
    rules["open_hours"] = windows
    terms, loan_rules = _loan_changes(form)
    data.update(terms)
    data["rules"] = rules | loan_rules
    billing = {name: getattr(form, name).data for name in BILLING_FIELDS}
    data["billing"] = {key: value for key, value in billing.items() if value is not None}
    data["rates"] = [
        {"category": category.value, "unit": unit.value, "price": price}
        for category in CustomerCategory
        for unit in RateUnit
        if (price := getattr(form, f"rate_{category.value}_{unit.value}").data) is not None
    ]
    return data
