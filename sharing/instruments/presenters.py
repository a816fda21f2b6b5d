"""What a viewer sees of an instrument: which rate category applies to them."""

from __future__ import annotations

from sharing.instruments.rules import CustomerCategory, customer_category
from sharing.orgs.models import OrgKind


def viewer_category(user, instrument=None) -> CustomerCategory:
    """The viewer's customer category (academic for anonymous visitors and catalog-wide filters)."""
    if user is None or not user.is_authenticated:
        return CustomerCategory.ACADEMIC
    is_enterprise = user.organisation.kind == OrgKind.ENTERPRISE
    if instrument is None:
        return CustomerCategory.ENTERPRISE if is_enterprise else CustomerCategory.ACADEMIC
    return customer_category(user.organisation_id, is_enterprise, instrument.organisation_id)
