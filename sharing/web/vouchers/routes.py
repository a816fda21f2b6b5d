"""Voucher pages: the year's programme with its claims (admins review them there), a firm's
claim over its paid charges, and what providers receive on top."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from sharing.auth.access import is_admin
from sharing.auth.models import Role
from sharing.core.errors import NotFound
from sharing.extensions import db
from sharing.util.numbers import count_or_none, year_or_none
from sharing.vouchers import evidence, offer, services
from sharing.vouchers.labels import CLAIM_STATUS_LABELS
from sharing.vouchers.models import VoucherProgramme
from sharing.web.forms import run_step

bp = Blueprint("vouchers", __name__)


def _programme(year: int | None) -> VoucherProgramme:
    statement = select(VoucherProgramme).order_by(VoucherProgramme.year.desc())
    if year is not None:
        statement = statement.where(VoucherProgramme.year == year)
    programme = db.session.scalars(statement).first()
    if programme is None:
        raise NotFound("No voucher programme yet.")
    return programme


@bp.get("/vouchers")
@login_required
def programme():
    """The year's figures; the claims the reader may see; a firm's form to claim."""
    chosen = _programme(year_or_none(request.args.get("year")))
    claims = services.list_claims(current_user, chosen)
    firm = current_user.role == Role.ENTERPRISE
    return render_template(
        "vouchers/programme.html",
        programme=chosen,
        programmes=services.list_programmes(),
        summary=services.summarise(chosen) if is_admin(current_user) else None,
        claims=claims,
        offer=offer.offer(current_user, chosen) if firm else None,
        provider_total=sum(
            line.provider_subsidy
            for claim in claims
            for line in claim.lines
            if line.provider_org_id == current_user.organisation_id
            and claim.status.value != "rejected"
        ),
    )


@bp.post("/vouchers/claims")
@login_required
def submit():
    chosen = _programme(year_or_none(request.form.get("year")))
    ids = [
        charge_id
        for value in request.form.getlist("charge_ids")
        if (charge_id := count_or_none(value)) is not None
    ]
    run_step(
        lambda: services.submit_claim(current_user, chosen, ids),
        lambda claim: _(
            "Claim submitted: %(eligible)d of %(lines)d lines eligible.",
            eligible=sum(line.eligible for line in claim.lines),
            lines=len(claim.lines),
        ),
    )
    return redirect(url_for("vouchers.programme", year=chosen.year))


@bp.post("/vouchers/claims/<int:claim_id>/<any(approve, reject, pay):step>")
@login_required
def decide(claim_id: int, step: str):
    claim = services.get_claim(current_user, claim_id)
    run_step(
        lambda: services.decide_claim(current_user, claim, step, request.form.get("reason", "")),
        lambda decided: _("The claim is %(state)s.", state=CLAIM_STATUS_LABELS[decided.status]),
    )
    return redirect(url_for("vouchers.programme", year=claim.programme.year))


@bp.get("/vouchers/claims/<int:claim_id>/evidence.zip")
@login_required
def evidence_download(claim_id: int):
    claim = services.read_claim(current_user, claim_id)
    return Response(
        evidence.evidence_zip(claim),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="voucher-claim-{claim.id}.zip"'},
    )
