"""Mails of the board: the selected team and the teams not selected hear of the award."""

from __future__ import annotations

from flask_babel import gettext as _

from sharing.core.mail import link_for, mail_in_their_language, queue_mails
from sharing.extensions import db


def notify_award(challenge, actor) -> None:
    """Queue a mail to every applicant saying whether their application was selected."""
    link = link_for("challenges.detail", challenge_id=challenge.id)

    def compose_for(application):
        def compose() -> tuple[str, list[str]]:
            if application.id == challenge.awarded_application_id:
                outcome = _("Your application was selected")
            else:
                outcome = _("Your application was not selected")
            return outcome, [
                _("Challenge: %(title)s", title=challenge.title),
                _("Company: %(name)s", name=challenge.organisation.name),
                outcome,
                link,
            ]

        return compose

    mails = [
        mail_in_their_language(application.applicant, compose_for(application))
        for application in challenge.applications
    ]
    queue_mails(db.session, mails)
