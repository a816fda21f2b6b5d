"""Display names of the vouchers' states and refusal reasons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.vouchers.models import ClaimStatus

CLAIM_STATUS_LABELS = {
    ClaimStatus.SUBMITTED: _l("Submitted"),
    ClaimStatus.APPROVED: _l("Approved"),
    ClaimStatus.REJECTED: _l("Rejected"),
    ClaimStatus.PAID: _l("Paid"),
}
REASON_LABELS = {
    "not_local": _l("Not registered in the programme's city"),
    "not_sme": _l("Not a small or medium enterprise"),
    "related_party": _l("Provider is a related party"),
    "not_paid": _l("Not paid yet"),
    "already_claimed": _l("Claimed already"),
    "over_cap": _l("Over the year's cap"),
}
