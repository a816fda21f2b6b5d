"""Mails of the board: the selected team and the teams not selected hear of the award."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from sharing.extensions import db
from sharing.mail import Mail, queue_mails


def notify_award(challenge, actor) -> None:
    """Queue a mail to every applicant saying whether their application was selected."""
    link = (
        url_for("challenges.detail", challenge_id=challenge.id, _external=True)
        if has_request_context()
        else ""
    )
    mails = []
    for application in challenge.applications:
        person = application.applicant
        with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            selected = application.id == challenge.awarded_application_id
            outcome = (
                _("Your application was selected")
                if selected
                else _("Your application was not selected")
            )
            body = "\n".join(
                [
                    _("Challenge: %(title)s", title=challenge.title),
                    _("Company: %(name)s", name=challenge.organisation.name),
                    outcome,
                    link,
                ]
            )
            mails.append(
                Mail(
                    to=person.email,
                    subject=f"[{_('Blue Valley Instrument Sharing')}] {outcome}",
                    body=body,
                )
            )
    queue_mails(db.session, mails)
