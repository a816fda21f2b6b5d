"""Loan pages: a request of several items (the basket, with its quote before sending), the
borrower's and the owners' loans, the overdue list, a loan with each side's steps, and the
printable handover form and quote."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.rules import BookingUnit
from sharing.loans import access, services
from sharing.loans.lifecycle import CheckStage, Delivery, LoanStatus, Outcome
from sharing.loans.models import Component, Operator
from sharing.web.auth.forms import ActionForm
from sharing.web.loans import forms

bp = Blueprint("loans", __name__)


def _day_instruments() -> list[Instrument]:
    return list(
        db.session.scalars(
            select(Instrument)
            .where(
                Instrument.booking_unit == BookingUnit.DAY,
                Instrument.status == InstrumentStatus.AVAILABLE,
            )
            .order_by(Instrument.organisation_id, Instrument.name)
        )
    )


def _free_ids(instruments, args) -> set[int] | None:
    """The instruments free for the days asked (the catalog's "free from ... to ..." filter)."""
    if not (args.get("start_date") and args.get("end_date")):
        return None
    try:
        first = forms.read_day(args["start_date"], "start_date")
        last = forms.read_day(args["end_date"], "end_date")
    except DomainError:
        return None
    busy = services.busy_instruments([i.id for i in instruments], first, last)
    return {i.id for i in instruments} - busy


@bp.route("/loans/new", methods=["GET", "POST"])
@login_required
def new():
    """The basket: day instruments of any owner, the days, the site; the quote, then send."""
    form = ActionForm()
    instruments = _day_instruments()
    values = request.form if request.method == "POST" else request.args
    preview, status = None, 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            wanted = forms.loan_request(request.form)
            if request.form.get("send") == "1":
                loan = services.request_loan(current_user, wanted)
                flash(_("Your loan request is sent to every owner."), "success")
                return redirect(url_for("loans.detail", loan_id=loan.id))
            preview = services.preview_loan(current_user, wanted)
        except DomainError as error:
            db.session.rollback()
            flash(error.localized, "warning")
            status = 400 if error.status < 409 else error.status
    return render_template(
        "loans/new.html",
        form=form,
        instruments=instruments,
        free=_free_ids(instruments, values),
        values=values,
        chosen={i for i in (forms.record_id(v) for v in values.getlist("item")) if i},
        preview=preview,
        deliveries=list(Delivery),
    ), status


@bp.get("/loans")
@login_required
def index():
    """Loans of the borrower's side and those of the caller's instruments, by status."""
    status = request.args.get("status")
    wanted = LoanStatus(status) if status in {s.value for s in LoanStatus} else None
    borrowed, lent = services.loan_pages(
        current_user,
        wanted,
        request.args.get("borrowed_page", 1, type=int),
        request.args.get("lent_page", 1, type=int),
    )
    return render_template(
        "loans/index.html", borrowed=borrowed, lent=lent, status=wanted, statuses=list(LoanStatus)
    )


@bp.get("/loans/overdue")
@login_required
def overdue():
    """The managers' overdue list: gear not back by its end date."""
    loans = services.list_loans(current_user, LoanStatus.OVERDUE)
    rows = [
        (loan, item)
        for loan in loans
        for item in loan.items
        if item.status == LoanStatus.OVERDUE and access.can_decide_item(current_user, item)
    ]
    return render_template("loans/overdue.html", rows=rows)


def _kit(loan) -> dict:
    ids = [item.instrument_id for item in loan.items]
    components = db.session.scalars(
        select(Component).where(Component.instrument_id.in_(ids)).order_by(Component.id)
    ).all()
    operators = db.session.scalars(
        select(Operator).where(Operator.instrument_id.in_(ids)).order_by(Operator.id)
    ).all()
    return {
        "components": {i: [c for c in components if c.instrument_id == i] for i in ids},
        "operators": {i: [o for o in operators if o.instrument_id == i] for i in ids},
    }


@bp.get("/loans/<int:loan_id>")
@login_required
def detail(loan_id: int):
    loan = services.get_loan(current_user, loan_id)
    return render_template(
        "loans/detail.html",
        loan=loan,
        quote=services.quote_of(loan),
        form=ActionForm(),
        can_decide={i.instrument_id: access.can_decide_item(current_user, i) for i in loan.items},
        can_borrow=access.can_borrow_for(current_user, loan),
        can_extend=access.can_extend(current_user, loan),
        outcomes=list(Outcome),
        **_kit(loan),
    )


@bp.get("/loans/<int:loan_id>/quote")
@login_required
def quote(loan_id: int):
    """The quote on a page of its own, to print or attach to a grant proposal."""
    loan = services.get_loan(current_user, loan_id)
    return render_template("loans/quote.html", loan=loan, quote=services.quote_of(loan))


@bp.get("/loans/<int:loan_id>/items/<int:instrument_id>/handover")
@login_required
def handover(loan_id: int, instrument_id: int):
    """The printable handover form: the components at dispatch and return, both signatures."""
    loan = services.get_loan(current_user, loan_id)
    item = services.item_of(loan, instrument_id)
    checks = {
        stage.value: {c.component_id: c for c in item.checks if c.stage == stage}
        for stage in CheckStage
    }
    return render_template("loans/handover.html", loan=loan, item=item, checks=checks, **_kit(loan))


def _item_step(loan, instrument_id: int, form):
    """One owner's step on its item, as the button posted it."""
    step = form.get("step")
    if step == "approve":
        operator_id = forms.record_id(form.get("operator_id", ""))
        return services.approve_item(current_user, loan, instrument_id, operator_id)
    if step == "decline":
        return services.decline_item(current_user, loan, instrument_id, form.get("reason", ""))
    if step == "deposit":
        return services.record_deposit(
            current_user,
            loan,
            instrument_id,
            forms.read_money(form.get("amount"), "amount"),
            forms.read_day(form.get("received_on"), "received_on"),
            form.get("reference", "")[:120],
        )
    if step == "dispatch":
        lines = forms.checklist(form)
        return services.dispatch_item(
            current_user, loan, instrument_id, lines, form.get("tracking_number", "")[:120]
        )
    if step == "return":
        return services.return_item(current_user, loan, instrument_id, forms.checklist(form))
    damage = forms.read_money(form.get("damage_amount"), "damage_amount", "0")
    outcome = forms.outcome(form)
    return services.inspect_item(
        current_user, loan, instrument_id, outcome, damage, form.get("note", "")
    )


def _loan_step(loan, form):
    step = form.get("step")
    if step == "cancel":
        return services.cancel_loan(current_user, loan, form.get("reason", ""))
    if step == "insurance":
        return services.set_insurance(current_user, loan, form.get("insurance_policy", "")[:200])
    return services.extend_loan(
        current_user, loan, forms.read_day(form.get("end_date"), "end_date")
    )


@bp.post("/loans/<int:loan_id>/steps")
@bp.post("/loans/<int:loan_id>/items/<int:instrument_id>/steps")
@login_required
def step(loan_id: int, instrument_id: int | None = None):
    """Any step of a loan from its page: the same services as the API."""
    form = ActionForm()
    loan = services.get_loan(current_user, loan_id)
    if not form.validate_on_submit():
        flash(_("The form expired; try again."), "warning")
        return redirect(url_for("loans.detail", loan_id=loan.id))
    try:
        if instrument_id is None:
            _loan_step(loan, request.form)
        else:
            _item_step(loan, instrument_id, request.form)
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return redirect(url_for("loans.detail", loan_id=loan_id)), 303
    flash(_("Done."), "success")
    return redirect(url_for("loans.detail", loan_id=loan.id))
