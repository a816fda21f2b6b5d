"""The manager's instrument page edits a day instrument's terms (api.md "Sea-going equipment"):
lent by the day, shortest and longest loan, days kept for inspection, mobilisation fee,
deposit, replacement value, insurance, and the day rates; wrong values are said in place."""

from __future__ import annotations

from decimal import Decimal

from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.instruments.rules import BookingUnit
from tests.web.test_catalog_pages import _form_data


def _day_terms(**changes) -> dict:
    terms = {
        "booking_unit": "day",
        "min_days": "2",
        "max_days": "20",
        "loan_turnaround_days": "1",
        "mobilisation_fee": "20000",
        "deposit": "50000.00",
        "replacement_value": "3000000",
        "insurance_required": "y",
        "rate_academic_day": "75000",
        "rate_internal_day": "60000",
    }
    return terms | changes


def test_a_manager_makes_an_instrument_a_day_instrument_through_the_page(client, make, login):
    manager = make.user("manager")
    rov = make.instrument(manager=manager, name="4500米级遥控潜水器")
    login(manager)
    page = client.get(f"/instruments/{rov.id}/edit").get_data(as_text=True)
    assert "按日出借" in page and 'name="deposit"' in page and 'name="min_days"' in page
    response = client.post(f"/instruments/{rov.id}/edit", data=_form_data(rov, **_day_terms()))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    changed = db.session.get(Instrument, rov.id)
    assert changed.booking_unit == BookingUnit.DAY
    assert (changed.min_days, changed.max_days, changed.loan_turnaround_days) == (2, 20, 1)
    assert changed.mobilisation_fee == Decimal("20000.00")
    assert changed.deposit == Decimal("50000.00")
    assert changed.replacement_value == Decimal("3000000.00")
    assert changed.insurance_required is True
    day_rates = {(r.category.value, r.price) for r in changed.rates if r.unit.value == "day"}
    assert day_rates == {("academic", Decimal("75000.00")), ("internal", Decimal("60000.00"))}
    # The page shows the terms it saved, ready for the next edit.
    again = client.get(f"/instruments/{rov.id}/edit").get_data(as_text=True)
    assert 'value="50000.00"' in again and 'value="20"' in again
    assert '<option selected value="day">' in again or 'value="day" selected' in again


def test_wrong_day_terms_are_said_in_place_and_nothing_changes(client, make, login):
    manager = make.user("manager")
    rov = make.instrument(manager=manager)
    login(manager)
    data = _form_data(rov, **_day_terms(min_days="0", loan_turnaround_days="90", deposit="-5"))
    response = client.post(f"/instruments/{rov.id}/edit", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count("is-invalid") >= 3
    db.session.expire_all()
    assert db.session.get(Instrument, rov.id).booking_unit == BookingUnit.SLOT


def test_a_longest_loan_shorter_than_the_shortest_is_refused_on_the_form(client, make, login):
    manager = make.user("manager")
    rov = make.instrument(manager=manager)
    login(manager)
    data = _form_data(rov, **_day_terms(min_days="10", max_days="3"))
    response = client.post(f"/instruments/{rov.id}/edit", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "预约规则相互矛盾" in page
    db.session.expire_all()
    assert db.session.get(Instrument, rov.id).max_days != 3


def test_a_slot_instrument_saved_from_the_page_stays_a_slot_instrument(client, make, login):
    manager = make.user("manager")
    own = make.instrument(manager=manager)
    login(manager)
    response = client.post(f"/instruments/{own.id}/edit", data=_form_data(own, name="新名字"))
    assert response.status_code == 302
    db.session.expire_all()
    kept = db.session.get(Instrument, own.id)
    assert kept.booking_unit == BookingUnit.SLOT and kept.deposit == Decimal("0.00")
