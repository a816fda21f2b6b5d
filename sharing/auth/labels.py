"""Display names (and badge styles) of the auth enums, beside the enums they name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.auth.models import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Platform admin"),
    Role.MANAGER: _l("Instrument manager"),
    Role.RESEARCHER: _l("Researcher"),
    Role.ENTERPRISE: _l("Enterprise user"),
}
