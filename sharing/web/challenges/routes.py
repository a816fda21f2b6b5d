"""Board pages: the board, a challenge, posting and editing, dashboards, statistics."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from sharing.challenges import listing, milestones, services
from sharing.challenges.access import can_apply, can_post, can_read_all_applications, is_owner
from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import ChallengeField
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.needs import matching
from sharing.needs.access import can_see_suggestions
from sharing.util.formatting import platform_zone
from sharing.util.inputs import day_or_none
from sharing.util.timeutil import as_utc
from sharing.web.args import money_arg, page_arg
from sharing.web.auth.forms import ActionForm
from sharing.web.challenges.forms import ApplicationForm, ChallengeForm, CompleteForm
from sharing.web.forms import run_step, show_domain_error
from sharing.web.needs.forms import DeliverForm, MilestoneForm, RejectForm

bp = Blueprint("challenges", __name__)


def _date_arg(name: str):
    """The end of the given local day, for 'deadline on or before'; None if absent or malformed."""
    day = day_or_none(request.args.get(name, ""))
    if day is None:
        return None
    end_of_day = datetime.combine(day + timedelta(days=1), time(0))
    return as_utc(end_of_day, platform_zone())


@bp.get("/challenges")
def board():
    """The public board with search and filters."""
    field = request.args.get("field")
    status = request.args.get("status")
    query = listing.BoardQuery(
        q=request.args.get("q", "").strip()[:200],
        field=field if field in set(ChallengeField) else None,
        status=status if status in set(ChallengeStatus) else None,
        min_budget=money_arg("min_budget"),
        max_budget=money_arg("max_budget"),
        deadline_before=_date_arg("deadline_before"),
        page=page_arg(),
    )
    results = listing.list_board(current_user, query)
    return render_template(
        "challenges/board.html",
        results=results,
        query=query,
        status_of=services.status_of,
        can_post=can_post(current_user),
    )


@bp.get("/challenges/<int:challenge_id>")
def detail(challenge_id: int):
    challenge = services.get_challenge(current_user, challenge_id)
    mine = None
    applications = []
    if current_user.is_authenticated:
        if can_read_all_applications(current_user, challenge):
            applications = services.list_applications(current_user, challenge)
        mine = next((a for a in challenge.applications if a.applicant_id == current_user.id), None)
    status = services.status_of(challenge)
    return render_template(
        "challenges/detail.html",
        challenge=challenge,
        status=status,
        applications=applications,
        mine=mine,
        owner=is_owner(current_user, challenge),
        may_apply=can_apply(current_user, challenge)
        and status == ChallengeStatus.OPEN
        and mine is None,
        apply_form=ApplicationForm(formdata=None, obj=mine)
        if mine
        else ApplicationForm(formdata=None),
        complete_form=CompleteForm(formdata=None),
        action_form=ActionForm(),
        **_milestones_and_suggestions(challenge),
    )


def _milestones_and_suggestions(challenge) -> dict:
    """The milestones for those who see them, with the forms each may use; who could take the
    challenge on, for its company and platform staff."""
    return {
        "milestones": challenge.milestones
        if milestones.can_see_milestones(current_user, challenge)
        else None,
        "team": milestones.is_selected_team(current_user, challenge),
        "milestone_form": MilestoneForm(formdata=None),
        "deliver_form": DeliverForm(formdata=None),
        "reject_form": RejectForm(formdata=None),
        **_answerers(challenge),
    }


def _answerers(challenge) -> dict:
    """Organisations and experts who could take it on, by organisation (a challenge asks for a
    team, not an instrument)."""
    if not can_see_suggestions(current_user, challenge):
        return {"suggestions": [], "answer_groups": []}
    found = [s for s in matching.suggest_for_challenge(challenge) if s.kind != "instrument"]
    return {"suggestions": found, "answer_groups": matching.by_organisation(found)}


@bp.post("/challenges/<int:challenge_id>/milestones")
@login_required
def add_milestone(challenge_id: int):
    challenge = services.get_challenge(current_user, challenge_id)
    form = MilestoneForm()
    if not form.validate_on_submit():
        flash(_("Give the milestone a title, a due date and an amount."), "warning")
    else:
        run_step(
            lambda: milestones.add_milestone(
                current_user, challenge, form.title.data, form.due.data, form.amount.data
            ),
            _("The milestone is set."),
        )
    return redirect(url_for("challenges.detail", challenge_id=challenge_id))


@bp.post("/milestones/<int:milestone_id>/<any(deliver, accept, reject):step>")
@login_required
def milestone_step(milestone_id: int, step: str):
    """The team delivers; the company accepts or sends back with a reason."""
    milestone = milestones.get_milestone(current_user, milestone_id)
    if step == "deliver":
        note = DeliverForm().note.data or ""
        run_step(
            lambda: milestones.deliver_milestone(current_user, milestone, note),
            _("Delivered: the company is asked to accept it."),
        )
    else:
        reason = RejectForm().reason.data or ""
        run_step(
            lambda: milestones.decide_milestone(current_user, milestone, step == "accept", reason),
            _("Accepted.") if step == "accept" else _("Sent back to the team."),
        )
    return redirect(url_for("challenges.detail", challenge_id=milestone.challenge_id))


def _form_changes(form: ChallengeForm) -> dict:
    return {
        "title": form.title.data,
        "field": form.field.data,
        "budget": form.budget.data,
        "deadline": as_utc(form.deadline.data, platform_zone()),
        "description": form.description.data or "",
    }


def _saved_message(challenge, changes: dict) -> str:
    if changes.get("status") == "open":
        return _("The challenge is published: everyone sees it on the board now.")
    if challenge.status.value == "draft":
        return _("The draft is saved. Only your organisation sees it until you publish it.")
    return _("Your changes are saved and shown on the board.")


def _save_form(form: ChallengeForm, challenge, save):
    """Validate, save through `save(changes)`, commit; else show the form with its errors.
    "Preview" shows the description as the board will, and saves nothing."""
    if request.method == "POST" and "preview" in request.form:
        return render_template(
            "challenges/edit.html", form=form, challenge=challenge, preview=form.description.data
        )
    if form.validate_on_submit():
        changes = _form_changes(form)
        if request.form.get("publish") == "open":
            changes["status"] = "open"
        try:
            challenge = save(changes)
        except DomainError as error:
            show_domain_error(form, error, fallback_field="title")
        else:
            flash(_saved_message(challenge, changes), "success")
            return redirect(url_for("challenges.detail", challenge_id=challenge.id))
    status = 400 if request.method == "POST" else 200
    return render_template("challenges/edit.html", form=form, challenge=challenge), status


@bp.route("/challenges/new", methods=["GET", "POST"])
@login_required
def new():
    """A company posts a challenge: saved as a draft or opened at once."""
    if not can_post(current_user):
        abort(403)
    return _save_form(
        ChallengeForm(), None, lambda changes: services.post_challenge(current_user, changes)
    )


@bp.route("/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def edit(challenge_id: int):
    """The owner edits a draft or open challenge (and may publish a draft)."""
    challenge = services.get_challenge(current_user, challenge_id)
    if not is_owner(current_user, challenge):
        abort(403)
    form = ChallengeForm(obj=None if request.method == "POST" else challenge)
    if request.method == "GET":
        zone = platform_zone()
        form.deadline.data = challenge.deadline.astimezone(zone).replace(tzinfo=None)
        form.field.data = challenge.field.value
    return _save_form(
        form, challenge, lambda changes: services.update_challenge(current_user, challenge, changes)
    )


def _act(challenge_id: int, action) -> object:
    challenge = services.get_challenge(current_user, challenge_id)
    try:
        action(challenge)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
    return redirect(url_for("challenges.detail", challenge_id=challenge_id))


@bp.post("/challenges/<int:challenge_id>/apply")
@login_required
def apply(challenge_id: int):
    """揭榜, or edit one's application before the deadline."""
    form = ApplicationForm()
    if not form.validate_on_submit():
        flash(_("Please fill in the approach and the quote."), "warning")
        return redirect(url_for("challenges.detail", challenge_id=challenge_id))
    data = {
        "proposal": form.proposal.data,
        "team": form.team.data or "",
        "timeline": form.timeline.data or "",
        "quote": form.quote.data,
    }

    def submit(challenge):
        mine = next((a for a in challenge.applications if a.applicant_id == current_user.id), None)
        if mine is None:
            services.apply_to_challenge(current_user, challenge, data)
            flash(_("Your application is submitted."), "success")
        else:
            services.update_application(current_user, mine, data)
            flash(_("Your application is updated."), "success")

    return _act(challenge_id, submit)


@bp.route("/challenges/<int:challenge_id>/award/<int:application_id>", methods=["GET", "POST"])
@login_required
def award(challenge_id: int, application_id: int):
    """Selecting the lead cannot be undone: the page asks first, then the POST selects."""
    if request.method == "GET":
        challenge = services.get_challenge(current_user, challenge_id)
        if not is_owner(current_user, challenge):
            abort(403)
        application = next((a for a in challenge.applications if a.id == application_id), None)
        if application is None:
            abort(404)
        others = len(challenge.applications) - 1
        return render_template(
            "challenges/award.html",
            challenge=challenge,
            application=application,
            others=others,
            action_form=ActionForm(),
        )
    if not ActionForm().validate_on_submit():
        abort(400)

    def select(challenge):
        services.award_challenge(current_user, challenge, application_id)
        chosen = next(a for a in challenge.applications if a.id == application_id)
        flash(
            _(
                "%(name)s is selected to lead. The other applicants are told they were not "
                "selected.",
                name=chosen.applicant.name,
            ),
            "success",
        )

    return _act(challenge_id, select)


@bp.post("/challenges/<int:challenge_id>/complete")
@login_required
def complete(challenge_id: int):
    form = CompleteForm()
    if not form.validate_on_submit():
        flash(_("Enter the contract amount."), "warning")
        return redirect(url_for("challenges.detail", challenge_id=challenge_id))
    return _act(
        challenge_id,
        lambda c: services.complete_challenge(current_user, c, form.contract_amount.data),
    )


@bp.post("/challenges/<int:challenge_id>/publish")
@login_required
def publish(challenge_id: int):
    """The owner opens a draft from its page, as it stands."""
    if not ActionForm().validate_on_submit():
        abort(400)

    def open_draft(challenge):
        services.update_challenge(current_user, challenge, {"status": "open"})
        flash(_saved_message(challenge, {"status": "open"}), "success")

    return _act(challenge_id, open_draft)


@bp.post("/challenges/<int:challenge_id>/withdraw")
@login_required
def withdraw(challenge_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act(challenge_id, lambda c: services.withdraw_challenge(current_user, c))


@bp.get("/challenges/dashboard")
@login_required
def dashboard():
    """The company's own challenges with their applications."""
    results = listing.list_board(
        current_user,
        listing.BoardQuery(organisation_id=current_user.organisation_id, per_page=100),
    )
    return render_template(
        "challenges/dashboard.html",
        results=results,
        status_of=services.status_of,
        can_post=can_post(current_user),
    )


@bp.get("/my/applications")
@login_required
def my_applications():
    return render_template(
        "challenges/my_applications.html",
        applications=listing.list_my_applications(current_user),
        status_of=services.status_of,
    )


@bp.get("/challenges/statistics")
def statistics():
    return render_template("challenges/statistics.html", stats=listing.board_stats())
