"""Leaving, listing and reading notices."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select, update

from sharing.auth.models import User
from sharing.core.errors import NotFound
from sharing.core.mail import Mail
from sharing.core.pagination import Page
from sharing.extensions import db
from sharing.notices.models import Notification
from sharing.util.timeutil import utcnow

TEXT_LIMIT = 500


def in_app_url(link: str) -> str:
    """A mail's absolute link as a path of this site (the bell works behind any host name)."""
    if not link:
        return ""
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def leave_notice(user_id: int, text: str, url: str = "", kind: str = "mail") -> Notification:
    notice = Notification(user_id=user_id, kind=kind, text=text[:TEXT_LIMIT], url=url[:500])
    db.session.add(notice)
    return notice


def copy_mails(_sender, mails: list[Mail], **_extra) -> None:
    """Receiver of `mails_queued`: each mail to a user also lands in their notices, in the same
    transaction (a rolled-back action leaves neither)."""
    for mail in mails:
        if mail.user_id is not None:
            leave_notice(mail.user_id, notice_text(mail), in_app_url(mail.link), mail.kind)


def notice_text(mail: Mail) -> str:
    """The title and the mail's first fact: a notice says what happened, not only its kind."""
    facts = [
        line
        for line in mail.body.splitlines()
        if line.strip() and not line.startswith(("http://", "https://", "/"))
    ]
    title = mail.title or mail.subject
    return f"{title}: {facts[0]}" if facts and facts[0] != title else title


def list_notices(user: User, unread_only: bool, page: int = 1, per_page: int = 20) -> Page:
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = db.session.scalars(
        statement.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(items=list(items), total=total, page=page, per_page=per_page)


def unread_count(user: User) -> int:
    statement = select(func.count()).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(statement) or 0


def mark_read(user: User, notice_id: int) -> Notification:
    """Read is read: marking again keeps the first time (so repeats change nothing)."""
    notice = db.session.get(Notification, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound("No notification %(id)s.", {"id": notice_id})
    db.session.execute(
        update(Notification)
        .where(Notification.id == notice_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(notice)
    return notice


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
