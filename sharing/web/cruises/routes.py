"""Cruise pages: the public schedule, a cruise (applications side by side with the capacity
left for the chief scientist and the vessel's managers), the application form, the costs."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from sharing.auth.services import get_user_by_email
from sharing.core.errors import DomainError
from sharing.cruises import applications as joining
from sharing.cruises import completion, duties, services
from sharing.cruises.access import may_apply
from sharing.cruises.equipment import Item
from sharing.cruises.labels import (
    CRUISE_APPLICATION_STATUS_LABELS,
    CRUISE_STATUS_LABELS,
    SHARE_BY_LABELS,
)
from sharing.cruises.lifecycle import ShareBy
from sharing.cruises.presenters import costs_for_reader, cruise_page, detail_of
from sharing.extensions import db
from sharing.util.money import to_money
from sharing.web.cruises.forms import (
    ApplicationForm,
    CancelForm,
    CompleteForm,
    DataForm,
    PublishForm,
    ReportForm,
    StepForm,
)
from sharing.web.forms import run_step, show_domain_error

bp = Blueprint("cruises", __name__)


@bp.context_processor
def labels() -> dict:
    return {
        "cruise_status_labels": CRUISE_STATUS_LABELS,
        "cruise_application_status_labels": CRUISE_APPLICATION_STATUS_LABELS,
        "share_by_labels": SHARE_BY_LABELS,
    }


@bp.get("/cruises")
def schedule():
    """Every cruise not cancelled, by departure: public, like its calendar feed."""
    publishes = current_user.is_authenticated and bool(services.managed_vessels(current_user))
    return render_template(
        "cruises/schedule.html", cruises=services.public_cruises(), publishes=publishes
    )


def _cruise_or_404(cruise_id: int):
    try:
        return services.get_cruise(cruise_id)
    except DomainError:
        abort(404)


@bp.route("/cruises/new", methods=["GET", "POST"])
@login_required
def publish():
    """A vessel's manager publishes a cruise on one of the organisation's vessels."""
    vessels = services.managed_vessels(current_user)
    if not vessels:
        abort(403)
    form = PublishForm()
    form.vessel_id.choices = [SelectChoice(v.id, v.name) for v in vessels]
    if form.validate_on_submit():
        chief = get_user_by_email(form.chief_scientist.data.strip())
        if chief is None:
            form.chief_scientist.errors = [_("No one has this e-mail address.")]
        else:
            plan = services.CruisePlan(
                vessel_id=form.vessel_id.data,
                name=form.name.data,
                departs_on=form.departs_on.data,
                returns_on=form.returns_on.data,
                mobilisation_days=form.mobilisation_days.data or 0,
                port_from=form.port_from.data or "",
                port_to=form.port_to.data or "",
                area=form.area.data or "",
                chief_scientist_id=chief.id,
                apply_by=form.apply_by.data,
                day_rate=to_money(form.day_rate.data),
                share_by=ShareBy(form.share_by.data),
                data_due_days=form.data_due_days.data or 60,
            )
            try:
                cruise = services.publish_cruise(current_user, plan)
            except DomainError as error:
                show_domain_error(form, error, "departs_on")
            else:
                db.session.commit()
                return _back(cruise.id)
    return render_template("cruises/publish.html", form=form)


@bp.get("/cruises/<int:cruise_id>")
@login_required
def detail(cruise_id: int):
    cruise = detail_of(_cruise_or_404(cruise_id))
    return render_template(
        "cruises/detail.html",
        **cruise_page(current_user, cruise),
        step_form=StepForm(),
        complete_form=CompleteForm(),
        cancel_form=CancelForm(),
        report_form=ReportForm(),
        data_form=DataForm(),
    )


def _back(cruise_id: int):
    return redirect(url_for("cruises.detail", cruise_id=cruise_id))


@bp.post("/cruises/<int:cruise_id>/<any(open, depart):step>")
@login_required
def step(cruise_id: int, step: str):
    cruise = _cruise_or_404(cruise_id)
    if StepForm().validate_on_submit():
        act = services.open_cruise if step == "open" else services.depart
        run_step(lambda: act(current_user, cruise), _("The cruise is %(status)s.", status=step))
    return _back(cruise_id)


@bp.post("/cruises/<int:cruise_id>/allocate")
@login_required
def allocate(cruise_id: int):
    """The chief scientist's or managers' choice: ticked applications with their berths."""
    cruise = _cruise_or_404(cruise_id)
    if StepForm().validate_on_submit():
        chosen = [
            joining.Allocation(a.id, berths=_number(f"berths-{a.id}", a.berths))
            for a in cruise.applications
            if request.form.get(f"place-{a.id}")
        ]
        run_step(
            lambda: joining.allocate(current_user, cruise, chosen), _("The cruise is allocated.")
        )
    return _back(cruise_id)


def _number(name: str, default: int) -> int:
    text = request.form.get(name, "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else default


@bp.post("/cruises/<int:cruise_id>/complete")
@login_required
def complete(cruise_id: int):
    cruise, form = _cruise_or_404(cruise_id), CompleteForm()
    if form.validate_on_submit():
        run_step(
            lambda: completion.complete_cruise(current_user, cruise, form.returned_on.data),
            _("The cruise is back; the ship time is charged."),
        )
    return _back(cruise_id)


@bp.post("/cruises/<int:cruise_id>/cancel")
@login_required
def cancel(cruise_id: int):
    cruise, form = _cruise_or_404(cruise_id), CancelForm()
    if form.validate_on_submit():
        run_step(
            lambda: services.cancel_cruise(current_user, cruise, form.reason.data),
            _("The cruise is cancelled."),
        )
    return _back(cruise_id)


@bp.post("/cruises/<int:cruise_id>/report")
@login_required
def report(cruise_id: int):
    cruise, form = _cruise_or_404(cruise_id), ReportForm()
    if form.validate_on_submit():
        run_step(
            lambda: duties.file_report(
                current_user, cruise, form.summary.data, form.stations.data or 0
            ),
            _("The cruise report is filed."),
        )
    return _back(cruise_id)


@bp.post("/cruise-applications/<int:application_id>/data")
@login_required
def deliver_data(application_id: int):
    form = DataForm()
    try:
        application = joining.get_application(current_user, application_id)
    except DomainError:
        abort(404)
    if form.validate_on_submit():
        run_step(
            lambda: duties.deliver_data(
                current_user,
                application,
                form.description.data,
                form.url.data or "",
                form.embargo_until.data,
            ),
            _("The data record is in."),
        )
    return _back(application.cruise_id)


def _equipment(text: str) -> list[Item]:
    ids = [part.strip() for part in (text or "").replace("，", ",").split(",") if part.strip()]
    if not all(part.isascii() and part.isdigit() and len(part) < 10 for part in ids):
        raise ValueError(_("Give instrument numbers, separated by commas."))
    return [Item(int(part), False) for part in ids]


@bp.route("/cruises/<int:cruise_id>/apply", methods=["GET", "POST"])
@login_required
def apply(cruise_id: int):
    """The application form: what the group asks for, its gear, its plan and data plan."""
    cruise, form = _cruise_or_404(cruise_id), ApplicationForm()
    if not may_apply(current_user):
        abort(403)
    if form.validate_on_submit():
        try:
            items = _equipment(form.equipment.data)
        except ValueError as error:
            form.equipment.errors = [str(error)]
        else:
            ask = joining.Ask(
                project=form.project.data,
                berths=form.berths.data or 0,
                deck_m2=form.deck_m2.data or 0,
                lab_m2=form.lab_m2.data or 0,
                station_hours=form.station_hours.data or 0,
                equipment=items,
                plan=form.plan.data or "",
                data_plan=form.data_plan.data or "",
            )
            try:
                joining.apply_to_cruise(current_user, cruise, ask)
            except DomainError as error:
                show_domain_error(form, error, "project")
            else:
                db.session.commit()
                return _back(cruise_id)
    return render_template("cruises/apply.html", cruise=cruise, form=form)


@bp.get("/cruises/<int:cruise_id>/costs")
@login_required
def costs(cruise_id: int):
    """Days, rate, total and the shares the reader may see, before departure and after."""
    cruise = _cruise_or_404(cruise_id)
    return render_template(
        "cruises/costs.html", cruise=cruise, costs=costs_for_reader(current_user, cruise)
    )
