"""Display names (and badge styles) of the billing enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.billing.models import ChargeKind

CHARGE_KIND_LABELS = {
    ChargeKind.USAGE: _l("Usage"),
    ChargeKind.SAMPLE_TESTING: _l("Sample testing"),
    ChargeKind.NO_SHOW: _l("No-show"),
    ChargeKind.LATE_CANCELLATION: _l("Late cancellation"),
    ChargeKind.ADJUSTMENT: _l("Adjustment"),
    ChargeKind.SHIP_TIME: _l("Ship time"),
    ChargeKind.MOBILISATION: _l("Mobilisation"),
    ChargeKind.OPERATOR: _l("Operator days"),
    ChargeKind.DAMAGE: _l("Damage"),
}
