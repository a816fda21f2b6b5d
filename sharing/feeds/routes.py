"""Calendar feeds (outside /api/v1) and the page that imports an .ics file as downtimes."""

from __future__ import annotations

from flask import Blueprint, abort, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from sharing.auth.services import user_for_calendar_token
from sharing.bookings.services import get_booking
from sharing.core.feedversions import latest
from sharing.core.session import api_actor
from sharing.cruises.models import CRUISES_KEY
from sharing.cruises.services import public_cruises
from sharing.feeds import queries
from sharing.feeds.feeds import build_calendar
from sharing.feeds.http import feed_response
from sharing.feeds.items import (
    booking_item,
    busy_item,
    cruise_item,
    deadline_item,
    loan_busy_item,
    loan_item,
)
from sharing.instruments.services import get_instrument
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow

bp = Blueprint("ical", __name__, url_prefix="/calendar")


@bp.get("/feed/<token>.ics")
def personal_feed(token: str):
    """The user's own bookings (managers: also their instruments'), behind a secret URL."""
    user = user_for_calendar_token(token, current_app.config["SECRET_KEY"])
    if user is None:
        abort(404)
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    identity = f"user:{user.id}:{user.calendar_salt}:{locale}"

    def build() -> bytes:
        with force_locale(locale):
            bookings = queries.personal_bookings(user)
            items = [booking_item(b, show_booker=b.user_id != user.id) for b in bookings]
            items += [loan_item(loan) for loan in queries.personal_loans(user)]
            return build_calendar(_("My instrument bookings"), items, utcnow())

    return feed_response(
        identity, queries.personal_version(user), build, "bookings.ics", private=True
    )


@bp.get("/instruments/<int:instrument_id>.ics")
def instrument_feed(instrument_id: int):
    """Public busy times of one instrument: when it is taken, never by whom."""
    instrument = get_instrument(instrument_id)
    version = queries.instrument_version(instrument.id)

    def build() -> bytes:
        items = [busy_item(busy) for busy in queries.public_busy(instrument)]
        zone = platform_zone()
        items += [loan_busy_item(busy, zone) for busy in queries.public_loan_days(instrument)]
        return build_calendar(
            _("%(name)s: busy times", name=instrument.name), items, version or utcnow()
        )

    return feed_response(
        f"instrument:{instrument.id}",
        version,
        build,
        f"instrument-{instrument.id}.ics",
        private=False,
    )


@bp.get("/bookings/<int:booking_id>.ics")
def booking_download(booking_id: int):
    """One booking to add to a calendar by hand; cancelled ones say so.

    Scripts fetch it with their API token (api.md), people with their session.
    """
    actor = api_actor()
    if actor is None:
        return current_app.login_manager.unauthorized()
    booking = get_booking(actor, booking_id)
    body = build_calendar(
        _("Booking %(id)s", id=booking.id), [booking_item(booking, show_booker=False)], utcnow()
    )
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="booking-{booking.id}.ics"'
    return response


@bp.get("/challenges.ics")
def challenges_feed():
    """Deadlines of the challenges open for applications."""

    def build() -> bytes:
        items = [deadline_item(c) for c in queries.open_challenges()]
        return build_calendar(_("Challenge board deadlines"), items, utcnow())

    return feed_response(
        "challenges", queries.challenges_version(), build, "challenges.ics", private=False
    )


@bp.get("/cruises.ics")
def cruises_feed():
    """Every cruise not cancelled, public: all-day events from departure to return."""
    version = latest([CRUISES_KEY])

    def build() -> bytes:
        items = [cruise_item(cruise) for cruise in public_cruises()]
        return build_calendar(_("Shared cruises"), items, version or utcnow())

    return feed_response("cruises", version, build, "cruises.ics", private=False)
