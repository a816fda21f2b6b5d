"""Display names (and badge styles) of the orgs enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.orgs.models import OrgKind

KIND_LABELS = {
    OrgKind.INSTITUTE: _l("Research institute"),
    OrgKind.UNIVERSITY: _l("University"),
    OrgKind.ENTERPRISE: _l("Enterprise"),
    OrgKind.OPERATOR: _l("Platform operator"),
}
