"""What came of it, in public: results transferred, the expert directory, the alliance's members
and the district's figures (impact) with charts and CSV."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from sharing.auth.access import is_admin
from sharing.auth.models import Role
from sharing.challenges.labels import CHALLENGE_FIELD_LABELS
from sharing.challenges.models import ChallengeField
from sharing.core.errors import DomainError, Forbidden
from sharing.extensions import db
from sharing.needs import alliance, experts, export, impact, transfers
from sharing.needs.export import label, page_label
from sharing.needs.labels import TRANSFER_KIND_LABELS
from sharing.orgs.models import ACADEMIC_KINDS, AllianceKind, OrgKind
from sharing.orgs.services import list_organisations
from sharing.util.formatting import local_today
from sharing.util.inputs import day_or_none
from sharing.util.spreadsheet import download
from sharing.web.args import page_arg
from sharing.web.forms import show_domain_error
from sharing.web.needs.forms import TransferForm

bp = Blueprint("outcomes", __name__)


def _date_arg(name: str) -> date | None:
    return day_or_none(request.args.get(name, ""))


def _may_record_transfers() -> bool:
    return is_admin(current_user) or (
        current_user.is_authenticated and current_user.role == Role.MANAGER
    )


def _transfer_form() -> TransferForm:
    form = TransferForm(signed_on=local_today())
    academic = list_organisations(set(ACADEMIC_KINDS))
    if not is_admin(current_user):
        academic = [o for o in academic if o.id == current_user.organisation_id]
    form.from_organisation.choices = [SelectChoice(o.slug, o.name) for o in academic]
    form.to_organisation.choices = [
        SelectChoice(o.slug, o.name) for o in list_organisations({OrgKind.ENTERPRISE})
    ]
    return form


@bp.route("/transfers", methods=["GET", "POST"])
def transfer_list():
    """Results transferred, newest first; admins and managers record their own."""
    form = _transfer_form() if _may_record_transfers() else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("Admins, and managers of one of its parties, record a transfer.")
        if form.validate_on_submit():
            try:
                transfers.record_transfer(current_user, form.data)
            except DomainError as error:
                show_domain_error(form, error, "title")
            else:
                db.session.commit()
                flash(_("The transfer is recorded."), "success")
                return redirect(url_for("outcomes.transfer_list"))
    start, end = _date_arg("from"), _date_arg("to")
    results = transfers.list_transfers(start, end, page=page_arg())
    return render_template("needs/transfers.html", results=results, form=form, start=start, end=end)


@bp.get("/experts")
def expert_list():
    field = request.args.get("field")
    results = experts.list_experts(
        request.args.get("q", "").strip()[:200],
        ChallengeField(field) if field in set(ChallengeField) else None,
        page=page_arg(),
    )
    return render_template("needs/experts.html", results=results, field=field)


@bp.get("/experts/<int:expert_id>")
def expert_detail(expert_id: int):
    return render_template("needs/expert.html", expert=experts.get_expert(expert_id))


@bp.get("/alliance")
def members():
    kind = request.args.get("kind")
    chosen = AllianceKind(kind) if kind in set(AllianceKind) else None
    return render_template(
        "needs/alliance.html", members=alliance.list_members(chosen), kind=chosen
    )


def _window() -> impact.Window:
    start, end = _date_arg("from"), _date_arg("to")
    if start and end and start > end:
        start, end = end, start
    return impact.window_or_this_year(start, end)


@bp.get("/impact")
def impact_page():
    """The district's figures for any dates, beside the same dates a year earlier."""
    window = _window()
    result = impact.impact(window)
    chinese = str(get_locale()) == "zh"
    funnel = [
        (label(name, chinese), result.current[name], result.previous[name])
        for name in impact.FUNNEL_FIGURES
    ]
    return render_template(
        "needs/impact.html",
        result=result,
        growth=result.growth,
        earlier=window.year_earlier(),
        transfers_by_kind=impact.transfers_by_kind(window),
        needs_by_field=impact.needs_by_field(window),
        funnel=funnel,
        label=lambda name: page_label(name, chinese),
    )


@bp.get("/impact.csv", defaults={"suffix": "csv"})
@bp.get("/impact.xlsx", defaults={"suffix": "xlsx"}, endpoint="impact_xlsx")
def impact_csv(suffix: str):
    """One table of the impact page as CSV or XLSX: `table=figures` (default), `needs` or
    `transfers`."""
    window, chinese = _window(), str(get_locale()) == "zh"
    table = request.args.get("table", "figures")
    if table == "needs":
        columns, rows = export.needs_table(
            impact.needs_by_field(window),
            lambda field: str(CHALLENGE_FIELD_LABELS[ChallengeField(field)]),
            chinese,
        )
    elif table == "transfers":
        columns, rows = export.transfers_table(
            impact.transfers_by_kind(window), lambda kind: str(TRANSFER_KIND_LABELS[kind]), chinese
        )
    else:
        table = "figures"
        columns, rows = export.impact_table(impact.impact(window), chinese)
    return download(columns, rows, f"impact-{table}-{window.start}-{window.end}", suffix, table)
