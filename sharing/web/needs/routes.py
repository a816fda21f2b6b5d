"""Needs pages: the desk (staff), a company's own needs, the needs that fit an institute, one
need with its steps and who could answer it, and the visit log."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from sharing.auth.models import Role
from sharing.challenges.models import ChallengeField
from sharing.core.errors import DomainError, Forbidden
from sharing.extensions import db
from sharing.needs import access, matching, services
from sharing.needs.models import NeedStatus
from sharing.orgs.models import OrgKind
from sharing.orgs.services import list_organisations
from sharing.util.formatting import local_today
from sharing.web.args import page_arg
from sharing.web.auth.forms import ActionForm
from sharing.web.forms import run_step, show_domain_error
from sharing.web.needs.forms import CloseForm, ContractForm, MeetingForm, NeedForm, VisitForm

bp = Blueprint("needs", __name__)


def _companies():
    return [SelectChoice(o.slug, o.name) for o in list_organisations({OrgKind.ENTERPRISE})]


@bp.get("/needs")
@login_required
def desk():
    """Staff see every need; a company its own; institutes the open ones, those that fit them
    first."""
    status, field = request.args.get("status"), request.args.get("field")
    query = services.NeedQuery(
        status=NeedStatus(status) if status in set(NeedStatus) else None,
        field=ChallengeField(field) if field in set(ChallengeField) else None,
        q=request.args.get("q", "").strip()[:200],
        page=page_arg(),
    )
    answerer = access.is_answerer(current_user)
    return render_template(
        "needs/desk.html",
        results=services.list_needs(current_user, query),
        query=query,
        counts=services.count_by_stage(current_user),
        fitting=_fitting(query) if answerer else [],
        staff=access.is_staff(current_user),
        answerer=answerer,
        company=current_user.organisation.kind == OrgKind.ENTERPRISE,
        action_form=ActionForm(),
    )


def _fitting(query: services.NeedQuery) -> list:
    """The five needs that fit the reader's institute best: of those the desk's filters keep,
    when it filters."""
    filtered = query.q or query.field or query.status
    among = services.need_ids(current_user, query) if filtered else None
    return matching.needs_for_organisation(current_user.organisation, 5, among)


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def new():
    staff = access.is_staff(current_user)
    if not (staff or current_user.role == Role.ENTERPRISE):
        raise Forbidden("Companies write their own needs; platform staff those of visited ones.")
    form = NeedForm()
    form.company.choices = (
        _companies()
        if staff
        else [SelectChoice(current_user.organisation.slug, current_user.organisation.name)]
    )
    if not staff:
        form.company.data = current_user.organisation.slug
    elif request.method == "GET" and request.args.get("company"):
        form.company.data = request.args["company"]
    if form.validate_on_submit():
        try:
            need = services.record_need(current_user, form.data)
        except DomainError as error:
            show_domain_error(form, error, "title")
        else:
            db.session.commit()
            flash(_("The need is written down."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/new.html", form=form, staff=staff)


@bp.get("/needs/<int:need_id>")
@login_required
def detail(need_id: int):
    need = services.get_need(current_user, need_id)
    suggestions = matching.suggest_for_need(need)
    return render_template(
        "needs/detail.html",
        need=need,
        suggestions=suggestions,
        answer_groups=matching.by_organisation(suggestions),
        meeting_form=MeetingForm(date=local_today()),
        contract_form=ContractForm(signed_on=local_today()),
        close_form=CloseForm(),
        action_form=ActionForm(),
        may_claim=access.is_answerer(current_user) and need.status == NeedStatus.COLLECTED,
        may_take_part=access.can_take_part(current_user, need),
        may_close=access.can_close(current_user, need),
        may_publish=access.can_publish(current_user, need) and need.challenge_id is None,
    )


def _step(need_id: int, act, success: str):
    """Run one step on the need from its page; a refusal is said there."""
    need = services.get_need(current_user, need_id)
    result = run_step(lambda: act(need), success)
    if isinstance(result, Response):
        return result
    return redirect(url_for("needs.detail", need_id=need_id))


@bp.post("/needs/<int:need_id>/claim")
@login_required
def claim(need_id: int):
    return _step(
        need_id,
        lambda need: services.claim_need(current_user, need),
        _("Claimed for your organisation: the company and platform staff are told."),
    )


@bp.post("/needs/<int:need_id>/meetings")
@login_required
def meeting(need_id: int):
    form = MeetingForm()
    if not form.validate_on_submit():
        flash(_("Give the date of the meeting."), "warning")
        return redirect(url_for("needs.detail", need_id=need_id))
    return _step(
        need_id,
        lambda need: services.add_meeting(
            current_user, need, form.date.data, form.notes.data or ""
        ),
        _("The meeting is recorded."),
    )


@bp.post("/needs/<int:need_id>/contract")
@login_required
def contract(need_id: int):
    form = ContractForm()
    if not form.validate_on_submit():
        flash(_("Give the contract's amount and the day it was signed."), "warning")
        return redirect(url_for("needs.detail", need_id=need_id))
    return _step(
        need_id,
        lambda need: services.contract_need(
            current_user, need, None, form.amount.data, form.signed_on.data
        ),
        _("The contract is recorded."),
    )


@bp.post("/needs/<int:need_id>/close")
@login_required
def close(need_id: int):
    form = CloseForm()
    if not form.validate_on_submit():
        flash(_("Say why the need is closed."), "warning")
        return redirect(url_for("needs.detail", need_id=need_id))
    return _step(
        need_id,
        lambda need: services.close_need(current_user, need, form.reason.data),
        _("The need is closed."),
    )


@bp.post("/needs/<int:need_id>/publish")
@login_required
def publish(need_id: int):

    def publish_it(need):
        challenge = services.publish_need(current_user, need, {})
        return redirect(url_for("challenges.edit", challenge_id=challenge.id))

    return _step(
        need_id, publish_it, _("On the board: set the budget and the deadline if you wish.")
    )


@bp.route("/visits", methods=["GET", "POST"])
@login_required
def visits():
    """The visit log of platform staff, with the form to log one."""
    if not access.is_staff(current_user):
        raise Forbidden("The visit log is for platform staff.")
    form = VisitForm(date=local_today())
    form.company.choices = _companies()
    if form.validate_on_submit():
        try:
            visit = services.log_visit(
                current_user, form.company.data, form.date.data, form.notes.data or ""
            )
        except DomainError as error:
            show_domain_error(form, error, "company")
        else:
            db.session.commit()
            flash(_("The visit is logged."), "success")
            return redirect(url_for("needs.new", company=visit.company.slug))
    results = services.list_visits(current_user, page=page_arg())
    return render_template("needs/visits.html", form=form, results=results)
