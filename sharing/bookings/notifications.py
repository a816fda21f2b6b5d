"""Who is told what about a booking; mails are queued on the session and sent after commit."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from sharing.auth.models import Role, User
from sharing.extensions import db
from sharing.mail import Mail, queue_mails


def _link(booking) -> str:
    if not has_request_context():
        return ""
    return url_for("bookings.detail", booking_id=booking.id, _external=True)


def _when(booking) -> str:
    zone = current_app.config["PLATFORM_ZONE"]
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
    with force_locale(recipient.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        platform = _("Blue Valley Instrument Sharing")
        subject = f"[{platform}] {SUBJECTS[kind]()}: {_instrument_name(booking)}"
        lines = [
            _("Instrument: %(name)s", name=_instrument_name(booking)),
            _("Time: %(when)s", when=_when(booking)),
            _("Booked by: %(name)s", name=booking.user.name),
        ]
        if count > 1:
            lines.append(_("Occurrences in the series: %(count)s", count=count))
        if reason:
            lines.append(_("Reason: %(reason)s", reason=reason))
        link = _link(booking)
        if link:
            lines.append(link)
    return Mail(to=recipient.email, subject=subject, body="\n".join(lines))


def _managers_of(booking) -> list[User]:
    statement = select(User).where(
        User.organisation_id == booking.instrument.organisation_id,
        User.role == Role.MANAGER,
        User.active.is_(True),
    )
    return list(db.session.scalars(statement))


def notify(kind: str, booking, actor: User, reason: str = "", count: int = 1) -> None:
    """Queue the mails for an event; they leave only if the transaction commits."""
    recipients = _managers_of(booking) if kind == "pending" else [booking.user]
    # Nobody is mailed about their own action.
    mails = [
        _compose(kind, booking, person, reason, count)
        for person in recipients
        if person.id != actor.id
    ]
    queue_mails(db.session, mails)
