"""Display names (and badge styles) of the instruments enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.instruments.models import InstrumentStatus
from sharing.instruments.register import InstrumentSource, ShareMode
from sharing.instruments.rules import BookingUnit, CustomerCategory, RateUnit

WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)

CATEGORY_LABELS = {
    CustomerCategory.INTERNAL: _l("Internal"),
    CustomerCategory.ACADEMIC: _l("Academic"),
    CustomerCategory.ENTERPRISE: _l("Enterprise"),
}

BOOKING_UNIT_LABELS = {
    BookingUnit.SLOT: _l("Booked by the slot, inside open hours"),
    BookingUnit.DAY: _l("Lent by whole days (sea-going gear)"),
}

UNIT_LABELS = {
    RateUnit.HOUR: _l("per hour"),
    RateUnit.SAMPLE: _l("per sample"),
    RateUnit.RUN: _l("per run"),
    RateUnit.DAY: _l("per day"),
}

# What a quantity counts (2.5 hours, 3 samples), beside the rate's "per hour".
QUANTITY_UNIT_LABELS = {
    RateUnit.HOUR: _l("hours"),
    RateUnit.SAMPLE: _l("samples"),
    RateUnit.RUN: _l("runs"),
    RateUnit.DAY: _l("days"),
}

STATUS_LABELS = {
    InstrumentStatus.AVAILABLE: _l("Available"),
    InstrumentStatus.MAINTENANCE: _l("Under maintenance"),
    InstrumentStatus.RETIRED: _l("Retired"),
}

SOURCE_LABELS = {
    InstrumentSource.PURCHASED: _l("Purchased"),
    InstrumentSource.DONATED: _l("Donated"),
    InstrumentSource.SELF_MADE: _l("Built in-house"),
}

SHARE_MODE_LABELS = {
    ShareMode.OPEN: _l("Open to outside users"),
    ShareMode.INTERNAL: _l("Shared inside the organisation"),
    ShareMode.NONE: _l("Not shared"),
}
