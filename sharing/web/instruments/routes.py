"""Catalog pages: search, instrument page, create and edit, qualified users."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from sharing.assessment import incidents, ratings
from sharing.auth.access import can_manage_any, is_admin
from sharing.auth.services import get_user_by_email
from sharing.core import storage
from sharing.core.errors import DomainError, Forbidden
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.catalog import (
    CatalogQuery,
    list_categories,
    list_instrument_owners,
    search_instruments,
)
from sharing.instruments.models import InstrumentStatus
from sharing.instruments.photos import photo_file
from sharing.instruments.presenters import viewer_category
from sharing.instruments.qualifications import (
    add_qualified_user,
    list_qualified_users,
    remove_qualified_user,
)
from sharing.instruments.rules import group_open_days
from sharing.instruments.services import create_instrument, get_instrument, update_instrument
from sharing.orgs.services import list_organisations
from sharing.training.services import qualification
from sharing.util.formatting import localized
from sharing.web.args import money_arg, page_arg
from sharing.web.assessment.forms import OutOfServiceForm, ResolveForm, incident_form
from sharing.web.auth.forms import ActionForm
from sharing.web.bookings.gates import booking_gates
from sharing.web.forms import show_domain_error
from sharing.web.instruments.forms import InstrumentForm, fill_form, form_changes
from sharing.web.training.forms import TrainingRequestForm

bp = Blueprint("instruments", __name__)
PER_PAGE = 20


@bp.get("/instruments")
def catalog():
    """Search the catalog by words, category, organisation, status and hourly price."""
    query = CatalogQuery(
        q=request.args.get("q", "").strip()[:200],
        category=request.args.get("category") or None,
        organisation=request.args.get("organisation") or None,
        status=request.args.get("status")
        if request.args.get("status") in set(InstrumentStatus)
        else None,
        min_price=money_arg("min_price"),
        max_price=money_arg("max_price"),
        price_category=viewer_category(current_user),
        english_order=str(get_locale()) == "en",
        page=page_arg(),
        per_page=PER_PAGE,
    )
    results = search_instruments(query, with_rules=False)
    return render_template(
        "instruments/catalog.html",
        results=results,
        query=query,
        categories=list_categories(),
        organisations=list_instrument_owners(),
        can_add=can_manage_any(current_user),
    )


@bp.get("/photos/<name>")
def photo(name: str):
    """A stored photo or thumbnail; names are random, so they may be cached for long."""
    return storage.answer(photo_file(name), "image/jpeg", max_age=30 * 24 * 3600, private=False)


@bp.get("/instruments/<int:instrument_id>")
def detail(instrument_id: int):
    """The instrument's record, rules, the viewer's rate and contact."""
    instrument = get_instrument(instrument_id)
    can_manage = can_manage_instrument(current_user, instrument)
    training = (
        qualification(current_user, instrument)
        if instrument.requires_training and current_user.is_authenticated
        else None
    )
    # Forms only for those who see them: each signs a CSRF token (most visitors see none).
    return render_template(
        "instruments/detail.html",
        instrument=instrument,
        can_manage=can_manage,
        rating=ratings.summary(instrument.id),
        recent_ratings=ratings.recent_ratings(instrument.id) if can_manage else [],
        incidents=incidents.list_incidents(instrument, limit=20),
        calibration=incidents.last_calibration(instrument),
        incident_form=incident_form(current_user, instrument),
        resolve_form=ResolveForm() if can_manage else None,
        out_of_service_form=OutOfServiceForm() if can_manage else None,
        viewer_rate_category=viewer_category(current_user, instrument),
        open_days=group_open_days(instrument.booking_rules().open_hours),
        training=training,
        gates=booking_gates(current_user, instrument),
        training_form=TrainingRequestForm() if training else None,
    )


def _form_choices(form: InstrumentForm) -> None:
    form.category.choices = [SelectChoice(c.slug, localized(c)) for c in list_categories()]
    owners = list_organisations() if is_admin(current_user) else [current_user.organisation]
    form.organisation.choices = [SelectChoice(o.slug, localized(o)) for o in owners]


def _save(form: InstrumentForm, instrument=None):
    try:
        if instrument is None:
            instrument = create_instrument(current_user, form_changes(form))
        else:
            instrument = update_instrument(current_user, instrument, form_changes(form))
    except Forbidden:
        raise
    except DomainError as error:
        show_domain_error(form, error, fallback_field="name")
        return None
    flash(_("The instrument is saved."), "success")
    return redirect(url_for("instruments.detail", instrument_id=instrument.id))


@bp.route("/instruments/new", methods=["GET", "POST"])
@login_required
def new():
    """A manager adds an instrument to their organisation."""
    if not can_manage_any(current_user):
        abort(403)
    form = InstrumentForm()
    _form_choices(form)
    if request.method == "GET":
        form.slot_minutes.data, form.min_minutes.data, form.max_minutes.data = 30, 30, 480
        form.notice_hours.data, form.horizon_days.data, form.increment_minutes.data = 2, 90, 30
        form.cancel_window_hours.data, form.no_show_grace_minutes.data = 24, 30
        form.check_in_window_minutes.data = 30
        form.late_cancel_share.data, form.no_show_share.data = Decimal("0.50"), Decimal("1.00")
        form.sample_quote_required.data = True
        for day in range(5):
            getattr(form, f"open_{day}").data = "08:00-20:00"
    if form.validate_on_submit() and (response := _save(form)):
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("instruments/edit.html", form=form, instrument=None), status


@bp.route("/instruments/<int:instrument_id>/edit", methods=["GET", "POST"])
@login_required
def edit(instrument_id: int):
    """The owning organisation's managers (and admins) edit an instrument."""
    instrument = get_instrument(instrument_id)
    if not can_manage_instrument(current_user, instrument):
        abort(403)
    form = InstrumentForm()
    _form_choices(form)
    if request.method == "GET":
        fill_form(form, instrument)
    if form.validate_on_submit() and (response := _save(form, instrument)):
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("instruments/edit.html", form=form, instrument=instrument), status


@bp.route("/instruments/<int:instrument_id>/qualified", methods=["GET", "POST"])
@login_required
def qualified(instrument_id: int):
    """Grant and withdraw the right to book an instrument that requires training."""
    instrument = get_instrument(instrument_id)
    if not can_manage_instrument(current_user, instrument):
        abort(403)
    form = ActionForm()
    if form.validate_on_submit():
        email = request.form.get("email", "")
        user = get_user_by_email(email)
        try:
            if user is None:
                flash(_("No account uses %(email)s.", email=email), "danger")
            elif request.form.get("action") == "remove":
                remove_qualified_user(current_user, instrument, user.id)
                flash(_("%(name)s may no longer book this instrument.", name=user.name), "info")
            else:
                add_qualified_user(current_user, instrument, user.id)
                flash(_("%(name)s may now book this instrument.", name=user.name), "success")
        except DomainError as error:
            db.session.rollback()
            flash(error.localized, "warning")
        return redirect(url_for("instruments.qualified", instrument_id=instrument.id))
    return render_template(
        "instruments/qualified.html",
        instrument=instrument,
        grants=list_qualified_users(instrument),
        form=form,
    )
