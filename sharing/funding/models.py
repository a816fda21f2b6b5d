"""A funding account of an organisation, its holder (the PI) and the members the holder approved."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sharing.auth.models import User
from sharing.core.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow


class FundingAccount(db.Model):
    """A grant or cost centre that bookings and orders are charged to, valid for a period."""

    __tablename__ = "funding_accounts"
    __table_args__ = (
        UniqueConstraint("organisation_id", "code", name="uq_funding_accounts_code"),
        CheckConstraint("valid_from IS NULL OR valid_until >= valid_from", name="valid_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    holder_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # None: valid for everything until `valid_until` (a grant recorded without its start).
    valid_from: Mapped[date | None] = mapped_column(Date, default=None)
    valid_until: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    members: Mapped[list[AccountMember]] = relationship(
        back_populates="account", order_by="AccountMember.id", cascade="all, delete-orphan"
    )


class AccountMember(db.Model):
    """A person the holder lets charge the account; once per account (the key holds a race)."""

    __tablename__ = "funding_account_members"
    __table_args__ = (UniqueConstraint("account_id", "user_id", name="uq_account_members"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("funding_accounts.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    account: Mapped[FundingAccount] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
