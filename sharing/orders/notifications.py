"""Who hears what about an order: the lab of new orders, the customer of quotes and results."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from sharing.auth.models import Role, User
from sharing.extensions import db
from sharing.mail import Mail, queue_mails

SUBJECTS = {
    "submitted": lambda: _("New sample testing order"),
    "quoted": lambda: _("Your sample testing order has a quote"),
    "delivered": lambda: _("Results of your sample testing order are ready"),
}


def notify_order(kind: str, order, actor: User) -> None:
    """Queue mails (sent after commit) to the lab's managers or to the ordering person."""
    if kind == "submitted":
        recipients = list(
            db.session.scalars(
                select(User).where(
                    User.organisation_id == order.instrument.organisation_id,
                    User.role == Role.MANAGER,
                    User.active.is_(True),
                )
            )
        )
    else:
        recipients = [order.created_by]
    link = (
        url_for("orders.detail", order_id=order.id, _external=True) if has_request_context() else ""
    )
    mails = []
    for person in recipients:
        if person.id == actor.id:
            continue
        with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            body = "\n".join(
                [
                    _(
                        "Order %(id)s: %(samples)s samples on %(name)s",
                        id=order.id,
                        samples=order.samples,
                        name=order.instrument.name,
                    ),
                    link,
                ]
            )
            platform = _("Blue Valley Instrument Sharing")
            mails.append(
                Mail(to=person.email, subject=f"[{platform}] {SUBJECTS[kind]()}", body=body)
            )
    queue_mails(db.session, mails)
