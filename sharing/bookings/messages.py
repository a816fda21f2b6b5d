"""Plain sentences, in the reader's language, for each rule violation code."""

from __future__ import annotations

from flask_babel import gettext as _

from sharing.bookings.policy import Violation

# One sentence per code, filled from the violation's parameters (the hour quota and the count
# quota share their code and differ by parameter).
SENTENCES = {
    "off_grid": lambda p: _("Start and end must fall on the %(slot)s-minute grid.", slot=p["slot"]),
    "too_short": lambda p: _("A booking must last at least %(min)s minutes.", min=p["min"]),
    "too_long": lambda p: _("A booking may last at most %(max)s minutes.", max=p["max"]),
    "too_soon": lambda p: _("Book at least %(hours)s hours before the start.", hours=p["hours"]),
    "too_far": lambda p: _("Book at most %(days)s days ahead.", days=p["days"]),
    "outside_open_hours": lambda p: _("The time lies outside the instrument's open hours."),
    "not_qualified": lambda p: _(
        "Only users the manager has trained and authorised may book this instrument."
    ),
    "qualification_expired": lambda p: _(
        "Your qualification on this instrument has expired: ask for a refresher training."
    ),
    "instrument_unavailable": lambda p: _(
        "The instrument is under maintenance or retired and cannot be booked."
    ),
    "quota_exceeded": lambda p: (
        _("You already hold the most future bookings allowed (%(max)s).", max=p["max_bookings"])
        if "max_bookings" in p
        else _("This would pass your limit of %(max)s hours in that week.", max=p["max_hours"])
    ),
    "loan_only": lambda p: _(
        "This instrument is lent by whole days: ask for a loan instead of a booking."
    ),
    "suspended": lambda p: _(
        "Your booking rights on this organisation's instruments are suspended."
    ),
}


def describe(violation: Violation) -> str:
    """What the user should change, in one sentence."""
    sentence = SENTENCES.get(violation.code)
    return sentence(violation.params) if sentence else violation.code


def violation_body(violations: list[Violation]) -> list[dict]:
    """The `violations` list of the 422 answer."""
    return [{"code": v.code, "message": describe(v)} for v in violations]
