"""The account owner hears when wrong passwords lock the account (it may not have been them)."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from sharing.auth.models import User
from sharing.extensions import db
from sharing.mail import Mail, queue_mails
from sharing.web.templating import format_local


def notify_locked(user: User) -> None:
    """Queue (sent after commit) a mail saying until when the account is locked and why."""
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        lines = [
            _(
                "Your account was locked until %(time)s after too many wrong passwords.",
                time=format_local(user.locked_until),
            ),
            _(
                "If this was not you, someone may be guessing your password: choose a new one "
                "after signing in, or ask a platform administrator to unlock the account."
            ),
        ]
        if has_request_context():
            lines.append(url_for("auth.login", _external=True))
        platform = _("Blue Valley Instrument Sharing")
        title = _("Your account is locked for a while")
        subject = f"[{platform}] {title}"
    queue_mails(db.session, [Mail(to=user.email, subject=subject, body="\n".join(lines))])
