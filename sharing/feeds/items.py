"""Bookings, downtimes and challenges as feed items, worded for their readers."""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _

from sharing.bookings.lifecycle import BookingStatus
from sharing.feeds.feeds import (
    UID_DOMAIN,
    FeedItem,
    booking_uid,
    challenge_uid,
    downtime_uid,
    loan_uid,
)
from sharing.loans.lifecycle import LoanStatus

ICAL_STATUS = {BookingStatus.PENDING: "TENTATIVE", BookingStatus.APPROVED: "CONFIRMED"}


def booking_item(booking, show_booker: bool) -> FeedItem:
    """A booking in its booker's or manager's feed (and the single-booking download)."""
    instrument = booking.instrument
    summary = instrument.name + (f" · {booking.user.name}" if show_booker else "")
    if booking.status == BookingStatus.PENDING:
        summary = f"{summary} ({_('Awaiting approval')})"
    lines = [booking.purpose] if booking.purpose else []
    lines.append(instrument.organisation.name)
    return FeedItem(
        uid=booking_uid(booking.id),
        start=booking.start,
        end=booking.end,
        summary=summary,
        status=ICAL_STATUS.get(booking.status, "CANCELLED"),
        sequence=booking.sequence,
        changed_at=booking.updated_at,
        description="\n".join(lines),
        location=instrument.location,
        url=url_for("bookings.detail", booking_id=booking.id, _external=True),
    )


def busy_item(busy) -> FeedItem:
    """Public busy time: when, and nothing about whom."""
    downtime = busy.kind == "downtime"
    return FeedItem(
        uid=(downtime_uid(busy.ref) if downtime else f"busy-{busy.ref}@bluevalley-sharing"),
        start=busy.start,
        end=busy.end,
        summary=_("Maintenance") if downtime else _("Taken"),
    )


def loan_item(loan) -> FeedItem:
    """A loan in its borrower's, operators' and owners' feeds: an all-day event of its days."""
    from datetime import timedelta

    names = ", ".join(item.instrument.name for item in loan.items)
    summary = _("Loan: %(names)s", names=names)
    if loan.status == LoanStatus.REQUESTED:
        summary = f"{summary} ({_('Awaiting approval')})"
    return FeedItem(
        uid=loan_uid(loan.id),
        start=loan.start_date,
        end=loan.end_date + timedelta(days=1),
        summary=summary,
        status="TENTATIVE" if loan.status == LoanStatus.REQUESTED else "CONFIRMED",
        sequence=loan.sequence,
        changed_at=loan.updated_at,
        description="\n".join(part for part in (loan.purpose, loan.site) if part),
        location=loan.site,
        url=url_for("loans.detail", loan_id=loan.id, _external=True),
    )


def loan_busy_item(busy, zone) -> FeedItem:
    """Days a loan holds the instrument, for everyone: all-day, and nothing about whom."""
    return FeedItem(
        uid=loan_uid(busy.ref),
        start=busy.start.astimezone(zone).date(),
        end=busy.end.astimezone(zone).date(),
        summary=_("On loan"),
    )


def deadline_item(challenge) -> FeedItem:
    """The last hour before an open challenge's application deadline."""
    from datetime import timedelta

    return FeedItem(
        uid=challenge_uid(challenge.id),
        start=challenge.deadline - timedelta(hours=1),
        end=challenge.deadline,
        summary=_("Application deadline: %(title)s", title=challenge.title),
        changed_at=challenge.updated_at,
        description=challenge.organisation.name,
        url=url_for("challenges.detail", challenge_id=challenge.id, _external=True),
    )


def cruise_item(cruise) -> FeedItem:
    """A cruise as an all-day event from departure to return (DTEND the day after, as iCalendar
    ends all-day events); its SUMMARY is the cruise's name."""
    return FeedItem(
        uid=f"cruise-{cruise.id}@{UID_DOMAIN}",
        start=cruise.departs_on,
        end=cruise.back_on + timedelta(days=1),
        summary=cruise.name,
        status="CONFIRMED" if cruise.status != "planning" else "TENTATIVE",
        changed_at=cruise.updated_at.replace(microsecond=0),
        description=f"{cruise.vessel.name} · {cruise.port_from} → {cruise.port_to} · {cruise.area}",
        location=cruise.port_from,
    )
