"""Order pages: submit from an instrument, my orders, the order with its timeline and steps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

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
from flask_login import current_user, login_required
from marshmallow import ValidationError

from sharing.assessment import ratings
from sharing.core import storage
from sharing.core.errors import DomainError
from sharing.extensions import db
from sharing.funding.services import usable_accounts
from sharing.instruments.services import get_instrument
from sharing.orders import access, results, services
from sharing.orders.inputs import OrderInSchema
from sharing.orders.lifecycle import CUSTOMER, TRANSITIONS
from sharing.util.inputs import MAX_SAMPLES
from sharing.util.numbers import count_or_none, parse_count, parse_money
from sharing.web.assessment.forms import RatingForm
from sharing.web.auth.forms import ActionForm

bp = Blueprint("orders", __name__)


def _order_fields(instrument_id: int) -> dict:
    """The order form as the API's body: counts as numbers where they are whole numbers (else
    left as typed, for the schema to refuse), empty optional fields left out."""
    form = request.form
    fields = {"instrument_id": instrument_id}
    for name in ("samples", "turnaround_days"):
        text = form.get(name, "").strip()
        if text:
            fields[name] = count_or_none(text) if count_or_none(text) is not None else text
    for name in ("sample_type", "description", "hazards", "analysis", "tracking_number"):
        fields[name] = form.get(name, "")
    if form.get("delivery"):
        fields["delivery"] = form["delivery"]
    if form.get("account_id"):
        account_id = form["account_id"]
        fields["account_id"] = count_or_none(account_id) or account_id
    return fields


@bp.route("/instruments/<int:instrument_id>/order", methods=["GET", "POST"])
@login_required
def new(instrument_id: int):
    """The sample order form of an instrument that takes samples."""
    instrument = get_instrument(instrument_id)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            data = OrderInSchema().load(_order_fields(instrument.id))
            order = services.submit_order(current_user, data)
        except ValidationError:
            flash(_("Check the values you entered."), "warning")
            return _order_form(instrument, form, request.form), 400
        except DomainError as error:
            db.session.rollback()
            flash(error.localized, "warning")
            return _order_form(instrument, form, request.form), 400
        flash(_("Your order is sent to the lab."), "success")
        return redirect(url_for("orders.detail", order_id=order.id))
    return _order_form(instrument, form, {})


def _order_form(instrument, form, values):
    return render_template(
        "orders/new.html",
        instrument=instrument,
        form=form,
        values=values,
        price=services.rate_card_sample_price(instrument, current_user.organisation),
        accounts=usable_accounts(current_user),
        chosen_account=values.get("account_id") if values else None,
    )


@bp.get("/orders")
@login_required
def index():
    """Orders to the user's labs apart from orders the user's organisation placed elsewhere."""
    orders = services.list_orders(current_user)
    to_lab = [order for order in orders if access.is_lab(current_user, order)]
    placed = [order for order in orders if access.is_customer(current_user, order)]
    others = [order for order in orders if order not in to_lab and order not in placed]
    return render_template("orders/index.html", to_lab=to_lab, placed=placed, others=others)


@bp.get("/orders/<int:order_id>")
@login_required
def detail(order_id: int):
    order = services.get_order(current_user, order_id)
    side = (
        "lab"
        if access.is_lab(current_user, order)
        else CUSTOMER
        if access.is_customer(current_user, order)
        else None
    )
    steps = {
        action.value
        for (state, action), (who, _next) in TRANSITIONS.items()
        if state == order.status and who == side
    }
    return render_template(
        "orders/detail.html",
        order=order,
        steps=steps,
        side=side,
        form=ActionForm(),
        rate=services.sample_price(order),
        rating=ratings.rating_of_order(order.id),
        may_rate=ratings.may_rate_order(current_user, order),
        rating_form=RatingForm(),
    )


def _quote(user, order, form) -> None:
    """The lab's quote from its page: a per-sample price and, optionally, one extra line."""
    lines = []
    per_sample = form.get("per_sample_price", "").strip()
    if per_sample:
        lines.append(services.per_sample_line(order, parse_money(per_sample, exact=False)))
    if form.get("extra_description", "").strip() and form.get("extra_amount", "").strip():
        lines.append(
            {
                "description": form["extra_description"].strip(),
                "quantity": Decimal(1),
                "unit_price": parse_money(form["extra_amount"], exact=False),
            }
        )
    services.quote_order(user, order, lines, form.get("note", ""))


def _upload(user, order, form) -> None:
    sent = request.files.get("file")
    data = sent.stream.read(results.MAX_RESULT_BYTES + 1) if sent else b""
    results.add_result(
        user,
        order,
        results.Upload(sent.filename if sent else "", sent.mimetype if sent else "", data),
    )


def _samples(form, name: str) -> int:
    return parse_count(form.get(name, ""), MAX_SAMPLES)


# Each step of the order page: what it reads from the form and the service it calls.
STEP_ACTIONS = {
    "quote": _quote,
    "accept": lambda user, order, form: services.accept_order(user, order),
    "decline": lambda user, order, form: services.decline_order(user, order, form.get("note", "")),
    "cancel": lambda user, order, form: services.cancel_order(user, order, form.get("note", "")),
    "receive": lambda user, order, form: services.receive_samples(
        user, order, _samples(form, "received_samples"), form.get("note", "")
    ),
    "start": lambda user, order, form: services.start_analysis(user, order),
    "deliver": lambda user, order, form: services.deliver_results(user, order),
    "complete": lambda user, order, form: services.complete_order(
        user, order, _samples(form, "measured_samples"), note=form.get("note", "")
    ),
    "upload": _upload,
}


def _do(order, step: str) -> None:
    STEP_ACTIONS[step](current_user, order, request.form)


STEPS = ", ".join(STEP_ACTIONS)


@bp.post(f"/orders/<int:order_id>/<any({STEPS}):step>")
@login_required
def act(order_id: int, step: str):
    """One step of the order, from its page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    order = services.get_order(current_user, order_id)
    try:
        _do(order, step)
    except (DomainError, InvalidOperation, ValueError, OverflowError) as error:
        db.session.rollback()
        message = error.localized if isinstance(error, DomainError) else ""
        flash(message or _("Check the values you entered."), "warning")
    else:
        flash(_("Done."), "success")
    return redirect(url_for("orders.detail", order_id=order_id))


@bp.get("/orders/<int:order_id>/results/<int:file_id>")
@login_required
def download(order_id: int, file_id: int):
    order = services.get_order(current_user, order_id)
    result, found = results.get_result(current_user, order, file_id)
    return storage.answer(found, result.content_type, download_name=result.filename)
