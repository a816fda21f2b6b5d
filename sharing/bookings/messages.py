"""Plain sentences, in the reader's language, for each rule violation code."""

from __future__ import annotations

from flask_babel import gettext as _

from sharing.bookings.policy import Violation


def describe(violation: Violation) -> str:
    """What the user should change, in one sentence."""
    p = violation.params
    match violation.code:
        case "off_grid":
            return _("Start and end must fall on the %(slot)s-minute grid.", slot=p["slot"])
        case "too_short":
            return _("A booking must last at least %(min)s minutes.", min=p["min"])
        case "too_long":
            return _("A booking may last at most %(max)s minutes.", max=p["max"])
        case "too_soon":
            return _("Book at least %(hours)s hours before the start.", hours=p["hours"])
        case "too_far":
            return _("Book at most %(days)s days ahead.", days=p["days"])
        case "outside_open_hours":
            return _("The time lies outside the instrument's open hours.")
        case "not_qualified":
            return _("Only users the manager has trained and authorised may book this instrument.")
        case "instrument_unavailable":
            return _("The instrument is under maintenance or retired and cannot be booked.")
        case "quota_exceeded" if "max_bookings" in p:
            return _(
                "You already hold the most future bookings allowed (%(max)s).",
                max=p["max_bookings"],
            )
        case "quota_exceeded":
            return _(
                "This would pass your limit of %(max)s hours in that week.", max=p["max_hours"]
            )
        case "suspended":
            return _("Your booking rights on this organisation's instruments are suspended.")
    return violation.code


def violation_body(violations: list[Violation]) -> list[dict]:
    """The `violations` list of the 422 answer."""
    return [{"code": v.code, "message": describe(v)} for v in violations]
