"""Billing pages: record use, statements, closing months, adjustments, suspensions, reports."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from sharing.auth.access import can_manage_any
from sharing.auth.models import User
from sharing.billing import reports, services
from sharing.billing.access import can_close_months, can_see_reports
from sharing.billing.export import statement_file
from sharing.bookings.models import Suspension
from sharing.bookings.services import get_booking
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.orgs.services import list_organisations, require_organisation
from sharing.util.formatting import platform_zone
from sharing.util.inputs import MAX_SAMPLES
from sharing.util.numbers import NumberError, count_or_none, parse_money
from sharing.util.spreadsheet import Column, download
from sharing.util.timeutil import Interval, as_utc, parse_month, utcnow
from sharing.web.args import count_arg, page_arg
from sharing.web.auth.forms import ActionForm

bp = Blueprint("billing", __name__)


def _local(name: str) -> datetime | None:
    try:
        return as_utc(
            datetime.strptime(request.form.get(name, ""), "%Y-%m-%dT%H:%M"), platform_zone()
        )
    except (ValueError, OverflowError):  # year 1 in a zone east of UTC overflows
        return None


@bp.post("/bookings/<int:booking_id>/usage/<any(check_in, check_out, record, no_show):step>")
@login_required
def record(booking_id: int, step: str):
    """Check in, check out, enter usage or mark a no-show from the booking page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    booking = get_booking(current_user, booking_id)
    try:
        if step == "check_in":
            services.check_in(current_user, booking)
        elif step == "check_out":
            services.check_out(current_user, booking)
        elif step == "no_show":
            services.mark_no_show(current_user, booking)
        else:
            start, end = _local("used_start"), _local("used_end")
            typed = request.form.get("samples", "").strip()
            samples = count_or_none(typed, MAX_SAMPLES) if typed else None
            if start is None or end is None or (typed and samples is None):
                raise DomainError(_("Enter the start, the end and a whole number of samples."))
            services.record_usage(current_user, booking, start, end, samples)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("Usage recorded."), "success")
    return redirect(url_for("bookings.detail", booking_id=booking_id))


def _month_arg() -> str:
    month = request.args.get("month") or utcnow().astimezone(platform_zone()).strftime("%Y-%m")
    try:
        parse_month(month)
    except ValueError:
        abort(400)
    return month


@bp.get("/statements")
@login_required
def statements():
    """Each customer's total for a month (members: their own); admins close months here."""
    month = _month_arg()
    return render_template(
        "billing/statements.html",
        month=month,
        rows=services.list_statements(current_user, month),
        closed=services.is_closed(month),
        organisations=list_organisations() if can_close_months(current_user) else [],
        form=ActionForm(),
    )


@bp.get("/statements/<slug>/<month>")
@login_required
def statement(slug: str, month: str):
    """A printable statement."""
    organisation = require_organisation(slug)
    group = request.args.get("group", "owner")
    statement = services.get_statement(current_user, organisation, month, page_arg(), group=group)
    return render_template("billing/statement.html", statement=statement)


@bp.get("/statements/<slug>/<month>.csv")
@login_required
def statement_download(slug: str, month: str):
    organisation = require_organisation(slug)
    services.get_statement_access(current_user, organisation, month)
    return statement_file(organisation, month, "csv")


@bp.get("/statements/<slug>/<month>.xlsx")
@login_required
def statement_workbook(slug: str, month: str):
    organisation = require_organisation(slug)
    services.get_statement_access(current_user, organisation, month)
    return statement_file(organisation, month, "xlsx")


@bp.post("/statements/<month>/close")
@login_required
def close(month: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.close_month(current_user, month)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("%(month)s is closed.", month=month), "success")
    return redirect(url_for("billing.statements", month=month))


@bp.post("/adjustments")
@login_required
def adjustment():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        amount = parse_money(request.form.get("amount", ""), exact=False, allow_negative=True)
        organisation = require_organisation(request.form.get("organisation", ""))
        services.add_adjustment(current_user, organisation, amount, request.form.get("reason", ""))
    except NumberError:
        flash(_("An amount has at most two decimals."), "warning")
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    else:
        flash(_("Adjustment added to the current month."), "success")
    return redirect(url_for("billing.statements"))


@bp.route("/manage/suspensions", methods=["GET", "POST"])
@login_required
def suspensions():
    if not can_manage_any(current_user):
        abort(403)
    if request.method == "POST" and ActionForm().validate_on_submit():
        suspension = db.session.get(Suspension, count_or_none(request.form.get("id", "")) or 0)
        if suspension is None:
            abort(404)
        try:
            services.lift_suspension(current_user, suspension)
        except DomainError as error:
            db.session.rollback()
            flash(error.localized, "warning")
        else:
            flash(_("The suspension is lifted."), "success")
        return redirect(url_for("billing.suspensions"))
    rows = services.list_suspensions(current_user)
    ids = [row.user_id for row in rows]
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return render_template("billing/suspensions.html", rows=rows, users=users, form=ActionForm())


def _year() -> int:
    year = count_arg("year")
    return (
        year
        if year is not None and 2000 <= year <= 2100
        else utcnow().astimezone(platform_zone()).year
    )


@bp.get("/reports")
@login_required
def dashboard():
    """Utilisation, revenue, spend and the yearly large-instrument figures, with charts."""
    if not can_see_reports(current_user):
        abort(403)
    year = _year()
    window = Interval(
        datetime(year, 1, 1, tzinfo=platform_zone()),
        datetime(year + 1, 1, 1, tzinfo=platform_zone()),
    )
    scope = reports.reports_for(current_user, window)
    tables = {
        "utilisation": scope.utilisation(),
        "large": scope.large_instruments(year),
        "revenue": scope.revenue(),
        "spend": scope.spend(),
    }
    for suffix in ("csv", "xlsx"):
        table = request.args.get(suffix)
        if table in tables:
            return download(REPORT_COLUMNS[table], tables[table], f"{table}-{year}", suffix)
    return render_template("billing/reports.html", year=year, tables=tables)


_INSTRUMENT = [
    Column("instrument_id", _l("Instrument no."), "integer"),
    Column("name", _l("Instrument")),
    Column("organisation", _l("Organisation")),
]
_MONTHLY = [
    Column("organisation", _l("Organisation code")),
    Column("name", _l("Organisation")),
    Column("month", _l("Month")),
    Column("amount", _l("Amount"), "money"),
]
REPORT_COLUMNS = {
    "utilisation": [
        *_INSTRUMENT,
        Column("open_hours", _l("Open hours"), "hours"),
        Column("booked_hours", _l("Booked hours"), "hours"),
        Column("used_hours", _l("Used hours"), "hours"),
        Column("utilisation", _l("Utilisation"), "share"),
    ],
    "large": [
        *_INSTRUMENT,
        Column("original_value", _l("Original value"), "money"),
        Column("effective_hours", _l("Effective hours"), "hours"),
        Column("external_hours", _l("External hours"), "hours"),
        Column("sharing_rate", _l("Sharing rate"), "share"),
    ],
    "revenue": _MONTHLY,
    "spend": _MONTHLY,
}
