"""Demo funding accounts (课题/经费卡) at the universities: PIs holding national and
contract grants, their students charging them, one grant lapsed; the members' bookings, orders
and charges name the account that was valid on the day."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select, update

from sharing.auth.models import User
from sharing.auth.services import create_user, get_user_by_email
from sharing.billing.models import Charge
from sharing.bookings.models import Booking
from sharing.demo.data import DEMO_PASSWORD
from sharing.extensions import db
from sharing.funding.models import AccountMember, FundingAccount
from sharing.orders.models import Order
from sharing.orgs.services import get_organisation

# (email, name, organisation): the holders, beside the researchers of data.USERS
PIS = [
    ("pi@sdu.example", "王建国（教授，课题负责人）", "sdu-qd"),
    ("pi@ouc.example", "刘海涛（教授，课题负责人）", "ouc-bv"),
]
# code, name, organisation, holder, members, valid from, valid until
ACCOUNTS = [
    (
        "NSFC-42176089",
        "国家自然科学基金面上项目：近海微塑料的来源与归趋",
        "sdu-qd",
        "pi@sdu.example",
        ["researcher@sdu.example"],
        date(2024, 1, 1),
        date(2027, 12, 31),
    ),
    (
        "SDU-HX-2023-017",
        "横向课题：船舶防腐涂层性能检测",
        "sdu-qd",
        "pi@sdu.example",
        ["researcher@sdu.example"],
        date(2023, 6, 1),
        date(2025, 12, 31),
    ),
    (
        "2022YFC2807300",
        "国家重点研发计划：深海原位探测传感器",
        "ouc-bv",
        "pi@ouc.example",
        ["researcher@ouc.example"],
        date(2022, 12, 1),
        date(2027, 11, 30),
    ),
]


def seed_accounts(existing: Counter, created: Counter) -> None:
    if count := db.session.scalar(select(func.count(FundingAccount.id))):
        existing["funding accounts"] += count
        return
    for email, name, slug in PIS:
        if get_user_by_email(email) is None:
            create_user(email, name, DEMO_PASSWORD, "researcher", get_organisation(slug))
            created["users"] += 1
    manager = {user.organisation.slug: user for user in _managers()}
    for code, name, slug, holder_email, member_emails, valid_from, valid_until in ACCOUNTS:
        organisation = get_organisation(slug)
        holder = get_user_by_email(holder_email)
        account = FundingAccount(
            organisation_id=organisation.id,
            code=code,
            name=name,
            holder_id=holder.id,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by_id=manager[slug].id,
        )
        account.members.append(AccountMember(user_id=holder.id, approved_by_id=manager[slug].id))
        for email in member_emails:
            account.members.append(
                AccountMember(user_id=get_user_by_email(email).id, approved_by_id=holder.id)
            )
        db.session.add(account)
        db.session.flush()
        _charge_to(account, [get_user_by_email(email) for email in member_emails])
        created["funding accounts"] += 1
    db.session.flush()


def _managers() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == "manager")))


def _charge_to(account: FundingAccount, members: list[User]) -> None:
    """The members' bookings and orders of the account's organisation inside its validity name
    it (the first account that covers the day), and so do their charges."""
    ids = [member.id for member in members]
    first, last = account.valid_from or date.min, account.valid_until
    db.session.execute(
        update(Booking)
        .where(
            Booking.user_id.in_(ids),
            Booking.account_id.is_(None),
            Booking.order_id.is_(None),
            func.date(Booking.start) >= first,
            func.date(Booking.start) <= last,
        )
        .values(account_id=account.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Order)
        .where(
            Order.created_by_id.in_(ids),
            Order.account_id.is_(None),
            func.date(Order.created_at) >= first,
            func.date(Order.created_at) <= last,
        )
        .values(account_id=account.id)
        .execution_options(synchronize_session=False)
    )
    for model, key in ((Booking, Charge.booking_id), (Order, Charge.order_id)):
        db.session.execute(
            update(Charge)
            .where(key.in_(select(model.id).where(model.account_id == account.id)))
            .values(account_id=account.id)
            .execution_options(synchronize_session=False)
        )
    latest = db.session.scalar(
        select(func.max(Booking.created_at)).where(Booking.account_id == account.id)
    )
    for member in account.members:
        if member.user_id in ids:
            member.last_used_at = latest
