"""Organisation pages: the member list and each member's page with its instruments."""

from __future__ import annotations

from flask import Blueprint, render_template

from sharing.billing.reports import large_instrument_year
from sharing.instruments.services import list_organisation_instruments
from sharing.orgs.services import list_organisations, require_organisation
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow

bp = Blueprint("orgs", __name__)


@bp.get("/organisations")
def index():
    return render_template("orgs/index.html", organisations=list_organisations())


@bp.get("/organisations/<slug>")
def detail(slug: str):
    organisation = require_organisation(slug)
    year = utcnow().astimezone(platform_zone()).year
    return render_template(
        "orgs/detail.html",
        organisation=organisation,
        instruments=list_organisation_instruments(organisation.id),
        year=year,
        large=large_instrument_year(year, organisation.id),
    )
