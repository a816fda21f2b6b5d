"""Display names (and badge styles) of the orders enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.orders.lifecycle import OrderStatus

ORDER_STATUS_LABELS = {
    OrderStatus.SUBMITTED: _l("Submitted"),
    OrderStatus.QUOTED: _l("Quoted"),
    OrderStatus.ACCEPTED: _l("Accepted"),
    OrderStatus.RECEIVED: _l("Samples received"),
    OrderStatus.IN_ANALYSIS: _l("In analysis"),
    OrderStatus.DELIVERED: _l("Results delivered"),
    OrderStatus.COMPLETED: _l("Completed"),
    OrderStatus.DECLINED: _l("Declined"),
    OrderStatus.CANCELLED: _l("Cancelled"),
}
