"""Display names (and badge styles) of the orgs enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.orgs.models import AllianceKind, OrgKind

KIND_LABELS = {
    OrgKind.INSTITUTE: _l("Research institute"),
    OrgKind.UNIVERSITY: _l("University"),
    OrgKind.ENTERPRISE: _l("Enterprise"),
    OrgKind.OPERATOR: _l("Platform operator"),
}

ALLIANCE_KIND_LABELS = {
    AllianceKind.PLATFORM: _l("Innovation platform"),
    AllianceKind.ENTERPRISE: _l("Key enterprise"),
    AllianceKind.SERVICE: _l("Service body"),
}
