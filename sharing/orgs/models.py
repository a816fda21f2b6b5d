"""The Organisation model."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.core.feedversions import CATALOG_KEY
from sharing.extensions import db
from sharing.util.timeutil import utcnow


class OrgKind(enum.StrEnum):
    INSTITUTE = "institute"
    UNIVERSITY = "university"
    ENTERPRISE = "enterprise"
    OPERATOR = "operator"


ACADEMIC_KINDS = frozenset({OrgKind.INSTITUTE, OrgKind.UNIVERSITY})


class AllianceKind(enum.StrEnum):
    """Members of the marine science and technology innovation alliance, by what they bring."""

    PLATFORM = "platform"  # innovation platforms: laboratories, institutes, universities
    ENTERPRISE = "enterprise"
    SERVICE = "service"  # technology transfer, finance, legal and testing services


# Affiliations that make two organisations related parties (a firm and its parent institute):
# stored once each way, so that either side finds the other.
organisation_relations = Table(
    "organisation_relations",
    db.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(db.Model):
    """A member of the platform; owns instruments and receives statements."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Repeated no-shows suspend a user's booking on this organisation's instruments.
    no_show_limit: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    no_show_window_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    # The innovation alliance (联盟): who belongs, as what, since when.
    alliance_member: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    alliance_kind: Mapped[AllianceKind | None] = mapped_column(
        enum_column(AllianceKind, "alliance_kind"), default=None
    )
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)
    # What the institute works on, for matching it to companies' needs.
    fields_of_work: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What the city's innovation vouchers ask of a firm (科技创新券).
    registered_city: Mapped[str] = mapped_column(String(40), default="", server_default="")
    sme: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    high_tech: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    related: Mapped[list[Organisation]] = relationship(
        secondary=organisation_relations,
        primaryjoin=lambda: Organisation.id == organisation_relations.c.organisation_id,
        secondaryjoin=lambda: Organisation.id == organisation_relations.c.related_id,
        order_by=lambda: Organisation.slug,
    )

    @property
    def is_academic(self) -> bool:
        """Institutes and universities: who may answer challenges and pay academic rates."""
        return self.kind in ACADEMIC_KINDS

    def version_keys(self) -> tuple[str, ...]:
        """Its names are shown in the catalog (see sharing.core.feedversions)."""
        return (CATALOG_KEY,)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
