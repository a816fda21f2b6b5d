"""Who is told what about a booking; mails are queued on the session and sent after commit."""

from __future__ import annotations

from flask_babel import gettext as _

from sharing.auth.directory import active_managers
from sharing.auth.models import User
from sharing.core.mail import Mail, link_for, mail_in_their_language, queue_mails
from sharing.extensions import db
from sharing.util.formatting import platform_zone


def _when(booking) -> str:
    zone = platform_zone()
    start, end = booking.start.astimezone(zone), booking.end.astimezone(zone)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _instrument_name(booking) -> str:
    return booking.instrument.name


SUBJECTS = {
    "approved": lambda: _("Booking confirmed"),
    "rejected": lambda: _("Booking declined"),
    "cancelled": lambda: _("Booking cancelled by the instrument's manager"),
    "downtime": lambda: _("Booking cancelled: the instrument is unavailable"),
    "pending": lambda: _("New booking request awaiting approval"),
    "affected": lambda: _("Your booking overlaps a maintenance period"),
}


def _compose(kind: str, booking, recipient: User, reason: str, count: int) -> Mail:
    def compose() -> tuple[str, list[str]]:
        lines = [
            _("Instrument: %(name)s", name=_instrument_name(booking)),
            _("Time: %(when)s", when=_when(booking)),
            _("Booked by: %(name)s", name=booking.user.name),
        ]
        if count > 1:
            lines.append(_("Occurrences in the series: %(count)s", count=count))
        if reason:
            lines.append(_("Reason: %(reason)s", reason=reason))
        lines.append(link_for("bookings.detail", booking_id=booking.id))
        return f"{SUBJECTS[kind]()}: {_instrument_name(booking)}", lines

    return mail_in_their_language(recipient, compose)


def notify(kind: str, booking, actor: User, reason: str = "", count: int = 1) -> None:
    """Queue the mails for an event; they leave only if the transaction commits."""
    if kind == "pending":
        recipients = active_managers(booking.instrument.organisation_id)
    else:
        recipients = [booking.user]
    # Nobody is mailed about their own action.
    mails = [
        _compose(kind, booking, person, reason, count)
        for person in recipients
        if person.id != actor.id
    ]
    queue_mails(db.session, mails)
