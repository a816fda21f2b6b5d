"""User, ApiToken and ExternalIdentity models."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.passwords import password_fingerprint
from sharing.core.dbtypes import UTCDateTime, enum_column
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    RESEARCHER = "researcher"
    ENTERPRISE = "enterprise"


class User(UserMixin, db.Model):
    """One person, one account, one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    # The campus card (校园卡) the person shows at an instrument's agent or kiosk: one holder each.
    card_number: Mapped[str | None] = mapped_column(String(32), unique=True, default=None)
    locale: Mapped[str | None] = mapped_column(String(10), default=None)
    # Remind of a booking this many hours before it starts (0: no reminders).
    reminder_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rotating this salt changes the derived calendar feed URL, revoking the old one.
    calendar_salt: Mapped[str] = mapped_column(String(64))
    # Wrong passwords in a row, and the end of the lockout they caused (see auth/lockout.py).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Raised by signing out: every session cookie issued before, copied or not, stops working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def get_id(self) -> str:
        """The session's user id, bound to the password and the sign-out epoch: changing the
        password signs out other sessions, signing out ends every cookie issued before."""
        return f"{self.id}:{password_fingerprint(self.password_hash)}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:  # Flask-Login asks this before logging a user in
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a leaked table grants nothing."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # What its owner calls it ("数据导出脚本"), to know which one to revoke.
    label: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    user: Mapped[User] = relationship(lazy="joined")


class ExternalIdentity(db.Model):
    """A person as an organisation's campus sign-in knows them: its subject (the CAS user,
    the OpenID Connect `sub`) names the account, whatever e-mail the server sends later."""

    __tablename__ = "external_identities"
    __table_args__ = (
        UniqueConstraint("organisation_id", "subject", name="uq_external_identities_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(255))
    protocol: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
