"""Pages of instruments that report their own use: at the instrument (the QR code and the phone
page it opens), the managers' agents of an instrument, and their desk of real use."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sharing.agents import overview, registry, review
from sharing.agents.access import can_manage_agents
from sharing.agents.models import AgentMode
from sharing.auth.access import can_manage_any
from sharing.billing import services as billing
from sharing.bookings.services import get_booking
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.instruments.services import get_instrument
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, as_utc, utcnow
from sharing.web.auth.forms import ActionForm
from sharing.web.bookings.gates import booking_gates

bp = Blueprint("agents", __name__)
DESK_DAYS = 30


def _local_form_time(name: str) -> datetime | None:
    try:
        return as_utc(
            datetime.strptime(request.form.get(name, ""), "%Y-%m-%dT%H:%M"), platform_zone()
        )
    except (ValueError, OverflowError):
        return None


def _attempt(work, done: str) -> None:
    """Run one service call for a form; its refusal becomes a message, its work undone."""
    try:
        work()
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(done, "success")


# -- at the instrument -------------------------------------------------------------------------


@bp.get("/instruments/<int:instrument_id>/qr.svg")
def qr_code(instrument_id: int):
    """The QR code of the instrument's check-in page, for a label on the instrument."""
    instrument = get_instrument(instrument_id)
    target = url_for("agents.here", instrument_id=instrument.id, _external=True)
    out = io.BytesIO()
    segno.make(target, error="m").save(out, kind="svg", scale=8, border=2, title=instrument.name)
    response = Response(out.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/instruments/<int:instrument_id>/here")
@login_required
def here(instrument_id: int):
    """What the QR code opens on the phone: the signed-in person's booking of this instrument,
    checked in or out with one tap."""
    instrument = get_instrument(instrument_id)
    return render_template(
        "agents/here.html",
        instrument=instrument,
        now=utcnow(),
        state=overview.at_the_instrument(current_user, instrument, utcnow()),
        form=ActionForm(),
        gates=booking_gates(current_user, instrument),
    )


@bp.post("/instruments/<int:instrument_id>/here/<int:booking_id>/<any(check_in, check_out):step>")
@login_required
def tap(instrument_id: int, booking_id: int, step: str):
    """The one tap: billing's check-in or check-out, as from the booking's page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    booking = get_booking(current_user, booking_id)
    if booking.instrument_id != instrument_id:
        abort(404)
    if step == "check_in":
        _attempt(
            lambda: billing.check_in(current_user, booking), _("Checked in. Enjoy your session.")
        )
    else:
        _attempt(lambda: billing.check_out(current_user, booking), _("Checked out. Thank you."))
    return redirect(url_for("agents.here", instrument_id=instrument_id))


# -- an instrument's agents ------------------------------------------------------------------


def _managed(instrument_id: int):
    instrument = get_instrument(instrument_id)
    if not can_manage_agents(current_user, instrument):
        abort(403)
    return instrument


@bp.route("/instruments/<int:instrument_id>/agents", methods=["GET", "POST"])
@login_required
def agents(instrument_id: int):
    """Register an agent (its token is shown on this answer alone), revoke one, print the QR."""
    instrument = _managed(instrument_id)
    form, new_token = ActionForm(), None
    if form.validate_on_submit():
        try:
            mode = AgentMode(request.form.get("mode", "interlock"))
        except ValueError:
            abort(400)
        name = request.form.get("name", "").strip()[:120]
        _agent, new_token = registry.register_agent(current_user, instrument, name, mode)
        flash(_("Agent registered. Copy its token now: it is not shown again."), "success")
    return render_template(
        "agents/agents.html",
        instrument=instrument,
        agents=registry.list_agents(instrument),
        status=registry.agent_status(instrument),
        new_token=new_token,
        server_url=request.host_url.rstrip("/"),
        now=utcnow(),
        form=form,
    ), (201 if new_token else 200)


@bp.post("/agents/<int:agent_id>/revoke")
@login_required
def revoke(agent_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    agent = registry.get_agent(current_user, agent_id)
    instrument_id = agent.instrument_id
    _attempt(lambda: registry.revoke_agent(current_user, agent), _("Agent revoked."))
    return redirect(url_for("agents.agents", instrument_id=instrument_id))


# -- the desk of real use ----------------------------------------------------------------------


@bp.get("/usage")
@login_required
def desk():
    """One page: booked against used time, forgotten check-outs, unbooked use to settle."""
    if not can_manage_any(current_user):
        abort(403)
    now = utcnow()
    window = Interval(now - timedelta(days=DESK_DAYS), now)
    return render_template(
        "agents/desk.html",
        days=DESK_DAYS,
        uses=overview.booked_against_used(current_user, window, now),
        differing=overview.differing_bookings(current_user, window),
        forgotten=review.forgotten_checkouts(current_user, now),
        unbooked=review.unbooked_waiting(current_user),
        now=now,
        form=ActionForm(),
    )


@bp.post("/usage/sessions/<int:session_id>/<any(confirm, dismiss, end):step>")
@login_required
def settle_session(session_id: int, step: str):
    """Bill or dismiss unbooked use, or end a session the person left open."""
    if not ActionForm().validate_on_submit():
        abort(400)
    session = review.get_reviewed_session(current_user, session_id)
    note = request.form.get("note", "").strip()[:1000]
    if step == "confirm":
        _attempt(lambda: review.confirm_unbooked(current_user, session, note), _("Use billed."))
    elif step == "dismiss":
        _attempt(lambda: review.dismiss_unbooked(current_user, session, note), _("Use dismissed."))
    else:
        at = _local_form_time("at")
        _attempt(lambda: review.end_for_person(current_user, session, at), _("Session ended."))
    return redirect(url_for("agents.desk"))


@bp.post("/usage/bookings/<int:booking_id>/check-out")
@login_required
def settle_forgotten(booking_id: int):
    """Check out a booking its user forgot, at the time they left."""
    if not ActionForm().validate_on_submit():
        abort(400)
    booking = get_booking(current_user, booking_id)
    at = _local_form_time("at") or booking.end
    _attempt(
        lambda: review.settle_forgotten(current_user, booking, at), _("Checked out and charged.")
    )
    return redirect(url_for("agents.desk"))
