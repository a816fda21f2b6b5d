"""Booking pages: book from the instrument page, my bookings, a booking, the manager's desk."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sharing.assessment import ratings
from sharing.auth.access import can_manage_any
from sharing.auth.services import get_user_by_email
from sharing.billing.access import usage_actions
from sharing.billing.estimates import booking_estimate, estimate
from sharing.billing.services import booking_costs, charges_of
from sharing.bookings import services
from sharing.bookings.access import can_cancel_booking, can_decide_booking
from sharing.bookings.lifecycle import BookingStatus
from sharing.core.errors import Conflict, DomainError, RuleViolation
from sharing.extensions import db
from sharing.funding.services import usable_accounts
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.presenters import viewer_category
from sharing.instruments.services import get_instrument, list_organisation_instruments
from sharing.orders import services as order_services
from sharing.orders.access import is_lab
from sharing.util.formatting import format_local, format_yuan, platform_zone
from sharing.util.numbers import count_or_none
from sharing.util.timeutil import Interval, as_utc
from sharing.web.args import count_arg, page_arg
from sharing.web.assessment.forms import RatingForm
from sharing.web.bookings.forms import BookingForm, ReasonForm, WaitlistForm
from sharing.web.bookings.gates import booking_gates
from sharing.web.safety import safe_next_url

bp = Blueprint("bookings", __name__)


@bp.route("/instruments/<int:instrument_id>/book", methods=["GET", "POST"])
@login_required
def book(instrument_id: int):
    """The booking form with the instrument's calendar; refusals are explained in place."""
    instrument = get_instrument(instrument_id)
    form = BookingForm()
    refusal = None
    order = _order_to_schedule(instrument)
    if order is not None and form.validate_on_submit():
        return _schedule_order_run(order, form)
    if form.validate_on_submit():
        try:
            bookings = services.request_booking(
                current_user,
                instrument.id,
                as_utc(form.start.data, platform_zone()),
                as_utc(form.end.data, platform_zone()),
                purpose=form.purpose.data or "",
                user_id=_on_behalf_user_id(form),
                repeat=services.Repeat(form.repeat.data, form.count.data or 2)
                if form.repeat.data
                else None,
                account_id=count_or_none(request.form.get("account_id", "")),
            )
        except (RuleViolation, Conflict) as error:
            db.session.rollback()
            refusal = error
        except DomainError as error:
            db.session.rollback()
            form.start.errors = [*form.start.errors, error.localized]
        else:
            first = bookings[0]
            if first.status == BookingStatus.PENDING:
                flash(_("Your request was sent; the manager will confirm it."), "info")
            else:
                flash(_("Your booking is confirmed."), "success")
            if len(bookings) > 1:
                # A series is confirmed with every booking it made, not its first alone.
                flash(
                    _(
                        "The series holds %(count)s bookings: %(times)s. Estimate in all: "
                        "%(total)s.",
                        count=len(bookings),
                        times="; ".join(f"#{b.id} {format_local(b.start)}" for b in bookings),
                        total=format_yuan(sum(booking_estimate(b) for b in bookings)),
                    ),
                    "info",
                )
            return redirect(url_for("bookings.detail", booking_id=first.id))
    status = 200
    if refusal is not None:
        status = refusal.status
    elif request.method == "POST":
        status = 400
    category = viewer_category(current_user, instrument)
    hourly = next(
        (r.price for r in instrument.rates if r.category == category and r.unit.value == "hour"),
        None,
    )
    gates = booking_gates(current_user, instrument)
    first_estimate = _first_estimate(instrument, form)
    return render_template(
        "bookings/book.html",
        instrument=instrument,
        gates=gates,
        first_estimate=first_estimate,
        utc_offset=datetime.now(platform_zone()).strftime("%z"),
        blocked=any(gate.blocks for gate in gates),
        form=form,
        refusal=refusal,
        order=order,
        can_manage=can_manage_instrument(current_user, instrument),
        hourly_price=hourly,
        accounts=usable_accounts(current_user) if order is None else [],
        chosen_account=request.form.get("account_id") if request.method == "POST" else None,
    ), status


def _first_estimate(instrument, form: BookingForm):
    """The estimate of the times in the form, shown before any script runs (None without
    valid times); the live one comes from the API's dry run as the times change."""
    start, end = form.start.data, form.end.data
    if start is None or end is None or end <= start:
        return None
    zone = platform_zone()
    booked = Interval(as_utc(start, zone), as_utc(end, zone))
    return estimate(instrument, current_user.organisation, [booked])


def _order_to_schedule(instrument):
    """The sample order whose run the lab is placing from this calendar (`?order=`), if any."""
    order_id = count_arg("order")
    if order_id is None:
        return None
    order = order_services.get_order(current_user, order_id)
    if order.instrument_id != instrument.id or not is_lab(current_user, order):
        abort(404)
    return order


def _schedule_order_run(order, form: BookingForm):
    try:
        order_services.schedule_run(
            current_user,
            order,
            as_utc(form.start.data, platform_zone()),
            as_utc(form.end.data, platform_zone()),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return redirect(url_for("bookings.book", instrument_id=order.instrument_id, order=order.id))
    flash(_("The sample run is booked."), "success")
    return redirect(url_for("orders.detail", order_id=order.id))


def _on_behalf_user_id(form: BookingForm) -> int | None:
    email = (form.on_behalf_email.data or "").strip()
    if not email:
        return None
    user = get_user_by_email(email)
    if user is None:
        form.on_behalf_email.errors = [_("No account uses %(email)s.", email=email)]
        raise DomainError(_("No account uses %(email)s.", email=email))
    return user.id


@bp.get("/bookings/<int:booking_id>")
@login_required
def detail(booking_id: int):
    booking = services.get_booking(current_user, booking_id)
    return render_template(
        "bookings/detail.html",
        booking=booking,
        can_cancel=can_cancel_booking(current_user, booking),
        can_decide=can_decide_booking(current_user, booking)
        and booking.status == BookingStatus.PENDING,
        form=ReasonForm(),
        usage_actions=usage_actions(current_user, booking),
        charges=charges_of(booking),
        rating=ratings.rating_of_booking(booking.id),
        may_rate=ratings.may_rate_booking(current_user, booking),
        rating_form=RatingForm(),
    )


@bp.post("/bookings/<int:booking_id>/<any(approve, reject, cancel):decision>")
@login_required
def decide(booking_id: int, decision: str):
    """Approve, reject or cancel one booking from its page or a list."""
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    booking = services.get_booking(current_user, booking_id)
    try:
        services.DECISIONS[decision](current_user, booking, form.reason.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(
            _("Booking %(id)s: %(status)s.", id=booking.id, status=status_label(booking.status)),
            "success",
        )
    fallback = url_for("bookings.detail", booking_id=booking_id)
    return redirect(safe_next_url(request.form.get("back"), fallback))


def status_label(status: BookingStatus) -> str:
    from sharing.bookings.labels import BOOKING_STATUS_LABELS

    return str(BOOKING_STATUS_LABELS[status])


@bp.get("/my/bookings")
@login_required
def mine():
    """The user's own bookings, upcoming first, with cancel buttons."""
    query = services.BookingQuery(mine_only=True, upcoming_first=True, page=page_arg(), per_page=50)
    results = services.list_bookings(current_user, query)
    return render_template(
        "bookings/mine.html",
        results=results,
        costs=booking_costs([booking.id for booking in results.items]),
        form=ReasonForm(),
        can_cancel=can_cancel_booking,
    )


@bp.route("/manage/queue", methods=["GET", "POST"])
@login_required
def queue():
    """Pending requests of the manager's instruments, decided one by one or together."""
    if not can_manage_any(current_user):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        ids = [count for count in map(count_or_none, request.form.getlist("ids")) if count]
        decision = request.form.get("decision")
        if not ids:
            flash(_("Tick the requests to decide first."), "warning")
        elif decision in ("approve", "reject"):
            results = services.decide_many(current_user, ids, decision, form.reason.data or "")
            done = sum(1 for r in results if r["ok"])
            flash(
                _("%(done)s of %(total)s requests decided.", done=done, total=len(results)),
                "success",
            )
        return redirect(url_for("bookings.queue"))
    return render_template(
        "bookings/queue.html", pending=services.list_pending_for_manager(current_user), form=form
    )


@bp.get("/manage/calendar")
@login_required
def manager_calendar():
    """All the manager's instruments on one calendar."""
    if not can_manage_any(current_user):
        abort(403)
    return render_template(
        "bookings/manager_calendar.html",
        instruments=list_organisation_instruments(current_user.organisation_id),
    )


@bp.post("/instruments/<int:instrument_id>/waitlist")
@login_required
def join_waitlist(instrument_id: int):
    """Get in line for the range the booking form was refused (its start and end)."""
    form = WaitlistForm()
    if not form.validate_on_submit():
        abort(400)
    zone = platform_zone()
    try:
        services.join_waitlist(
            current_user,
            instrument_id,
            as_utc(form.start.data, zone),
            as_utc(form.end.data, zone),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return redirect(url_for("bookings.book", instrument_id=instrument_id))
    flash(_("You are in line. We will tell you as soon as the time frees up."), "success")
    return redirect(url_for("bookings.waitlist"))


@bp.get("/my/waitlist")
@login_required
def waitlist():
    """The user's places in line and open offers."""
    entries = services.own_entries(current_user)
    positions = {entry.id: services.position(entry) for entry in entries}
    return render_template(
        "bookings/waitlist.html", entries=entries, positions=positions, form=ReasonForm()
    )


@bp.post("/my/waitlist/<int:entry_id>/<any(accept, leave):action>")
@login_required
def waitlist_action(entry_id: int, action: str):
    if not ReasonForm().validate_on_submit():
        abort(400)
    entry = services.get_entry(current_user, entry_id)
    try:
        if action == "accept":
            booking = services.accept_offer(current_user, entry)
        else:
            services.leave_waitlist(current_user, entry)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return redirect(url_for("bookings.waitlist"))
    if action == "accept":
        if booking.status == BookingStatus.PENDING:
            flash(_("Your request was sent; the manager will confirm it."), "info")
        else:
            flash(_("Your booking is confirmed."), "success")
        return redirect(url_for("bookings.detail", booking_id=booking.id))
    flash(_("You left the line."), "info")
    return redirect(url_for("bookings.waitlist"))
