"""Display names (and badge styles) of the needs enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.needs.models import NeedStatus, TransferKind

NEED_STATUS_LABELS = {
    NeedStatus.COLLECTED: _l("Collected"),
    NeedStatus.CLAIMED: _l("Claimed"),
    NeedStatus.IN_TALKS: _l("In talks"),
    NeedStatus.CONTRACTED: _l("Contracted"),
    NeedStatus.CLOSED: _l("Closed"),
}
NEED_STATUS_STYLES = {
    NeedStatus.COLLECTED: "secondary",
    NeedStatus.CLAIMED: "info",
    NeedStatus.IN_TALKS: "primary",
    NeedStatus.CONTRACTED: "success",
    NeedStatus.CLOSED: "dark",
}
NEED_ACTION_LABELS = {
    "collect": _l("Written down"),
    "claim": _l("Claimed"),
    "meeting": _l("Meeting"),
    "contract": _l("Contract signed"),
    "close": _l("Closed"),
    "publish": _l("Published on the board"),
}
TRANSFER_KIND_LABELS = {
    TransferKind.PATENT_TRANSFER: _l("Patent transfer"),
    TransferKind.LICENCE: _l("Licence"),
    TransferKind.JOINT_DEVELOPMENT: _l("Joint development"),
    TransferKind.TECHNICAL_SERVICE: _l("Technical service"),
}
