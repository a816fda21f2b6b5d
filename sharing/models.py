"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from sharing.auth.models import ApiToken, User
from sharing.bookings.models import Downtime
from sharing.instruments.models import Category, Instrument, OpenHours, QualifiedUser, Rate
from sharing.orgs.models import Organisation

__all__ = [
    "ApiToken",
    "Category",
    "Downtime",
    "Instrument",
    "OpenHours",
    "Organisation",
    "QualifiedUser",
    "Rate",
    "User",
]
