"""The account owner hears when wrong passwords lock the account (it may not have been them)."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _

from sharing.auth.models import User
from sharing.core.mail import link_for, mail_in_their_language, queue_mails
from sharing.extensions import db
from sharing.util.formatting import format_local


def notify_locked(user: User) -> None:
    """Queue (sent after commit) a mail saying until when the account is locked and why."""

    def compose() -> tuple[str, list[str]]:
        return _("Your account is locked for a while"), [
            _(
                "Your account was locked until %(time)s after too many wrong passwords.",
                time=format_local(user.locked_until),
            ),
            _(
                "If this was not you, someone may be guessing your password: choose a new one "
                "after signing in, or ask a platform administrator to unlock the account."
            ),
            link_for("auth.login"),
        ]

    queue_mails(db.session, [mail_in_their_language(user, compose)])


def notify_password_changed(user: User) -> None:
    """Queue a mail saying the password changed: the owner learns of it if it was not them."""

    def compose() -> tuple[str, list[str]]:
        return _("Your password was changed"), [
            _("The password of your account %(email)s was changed.", email=user.email),
            _(
                "If this was not you, reset it from the sign-in page at once and tell a "
                "platform administrator."
            ),
            link_for("auth.login"),
        ]

    queue_mails(db.session, [mail_in_their_language(user, compose)])


def send_reset_link(user: User, link: str, hours: int) -> None:
    """Queue the mail with the link that lets the owner choose a new password."""

    def compose() -> tuple[str, list[str]]:
        return _("Choose a new password"), [
            _(
                "Someone, probably you, asked to choose a new password for %(email)s. "
                "The link works once, for %(hours)s hour(s):",
                email=user.email,
                hours=hours,
            ),
            link,
            _("If it was not you, ignore this mail: your password stays as it is."),
        ]

    # The link is a secret for the mailbox alone: no copy among the notices.
    private = replace(mail_in_their_language(user, compose), user_id=None, link="")
    queue_mails(db.session, [private])
