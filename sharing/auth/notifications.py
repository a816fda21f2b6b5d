"""The account owner hears when wrong passwords lock the account (it may not have been them)."""

from __future__ import annotations

from flask_babel import gettext as _

from sharing.auth.models import User
from sharing.extensions import db
from sharing.mail import link_for, mail_in_their_language, queue_mails
from sharing.web.templating import format_local


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
