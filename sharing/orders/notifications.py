"""Who hears what about an order: the lab of new orders, the customer of quotes and results."""

from __future__ import annotations

from flask_babel import gettext as _

from sharing.auth.directory import active_managers
from sharing.auth.models import User
from sharing.core.mail import link_for, mail_in_their_language, queue_mails
from sharing.extensions import db

SUBJECTS = {
    "submitted": lambda: _("New sample testing order"),
    "quoted": lambda: _("Your sample testing order has a quote"),
    "delivered": lambda: _("Results of your sample testing order are ready"),
}


def notify_order(kind: str, order, actor: User) -> None:
    """Queue mails (sent after commit) to the lab's managers or to the ordering person."""
    if kind == "submitted":
        recipients = active_managers(order.instrument.organisation_id)
    else:
        recipients = [order.created_by]
    link = link_for("orders.detail", order_id=order.id)

    def compose() -> tuple[str, list[str]]:
        summary = _(
            "Order %(id)s: %(samples)s samples on %(name)s",
            id=order.id,
            samples=order.samples,
            name=order.instrument.name,
        )
        return SUBJECTS[kind](), [summary, link]

    # Nobody is mailed about their own action.
    mails = [mail_in_their_language(p, compose) for p in recipients if p.id != actor.id]
    queue_mails(db.session, mails)
