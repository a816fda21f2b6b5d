"""An organisation's sign-in server and the e-mail domains whose people sign in through it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class Protocol(enum.StrEnum):
    CAS = "cas"  # CAS 3.0: most Chinese universities' 统一身份认证
    OIDC = "oidc"  # OpenID Connect, read by discovery from the issuer


class DefaultRole(enum.StrEnum):
    """The role of an account made at its first campus sign-in (the values of auth's Role)."""

    RESEARCHER = "researcher"
    ENTERPRISE = "enterprise"


class SignInServer(db.Model):
    """One organisation's central sign-in. The OpenID Connect client secret is kept sealed
    (see sharing/sso/sealing.py), or in the environment; it is never shown again."""

    __tablename__ = "sign_in_servers"
    __table_args__ = (
        CheckConstraint(
            "(protocol = 'cas' AND server_url <> '')"
            " OR (protocol = 'oidc' AND issuer <> '' AND client_id <> '')",
            name="protocol_settings",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    protocol: Mapped[Protocol] = mapped_column(enum_column(Protocol, "sign_in_protocol"))
    server_url: Mapped[str] = mapped_column(String(500), default="")
    issuer: Mapped[str] = mapped_column(String(500), default="")
    client_id: Mapped[str] = mapped_column(String(255), default="")
    client_secret_sealed: Mapped[str] = mapped_column(Text, default="")
    default_role: Mapped[DefaultRole] = mapped_column(
        enum_column(DefaultRole, "sign_in_default_role")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    domains: Mapped[list[SignInDomain]] = relationship(
        back_populates="server",
        cascade="all, delete-orphan",
        order_by=lambda: SignInDomain.domain,
        lazy="selectin",
    )

    @property
    def domain_names(self) -> list[str]:
        return sorted(entry.domain for entry in self.domains)

    def __repr__(self) -> str:
        return f"<SignInServer {self.protocol} of {self.organisation_id}>"


class SignInDomain(db.Model):
    """An e-mail domain that belongs to one organisation's sign-in: its addresses sign in
    there and nowhere else (no password, no local registration)."""

    __tablename__ = "sign_in_domains"

    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    server_id: Mapped[int] = mapped_column(
        ForeignKey("sign_in_servers.id", ondelete="CASCADE"), index=True
    )

    server: Mapped[SignInServer] = relationship(back_populates="domains")
