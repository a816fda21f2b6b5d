"""Gates before forms: the instrument page and the booking form say at once what stands in
the way of a booking (training, a suspension, a quota) and the way out."""

from datetime import timedelta

from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking, Suspension
from sharing.extensions import db
from sharing.instruments.attached import QualifiedUser
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import weekday_instrument


def test_an_untrained_user_is_sent_to_training_before_the_form(client, make, login):
    instrument = weekday_instrument(make, requires_training=True)
    researcher = make.user("researcher")
    login(researcher)
    form = client.get(f"/instruments/{instrument.id}/book").get_data(as_text=True)
    assert 'data-gate="training"' in form and 'id="gate-training-link"' in form
    assert f"/instruments/{instrument.id}#training-request" in form
    assert 'id="booking-form"' not in form
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'id="training-request"' in page

    db.session.add(QualifiedUser(instrument_id=instrument.id, user_id=researcher.id))
    db.session.commit()
    form = client.get(f"/instruments/{instrument.id}/book").get_data(as_text=True)
    assert 'id="booking-form"' in form and "data-gate=" not in form


def test_a_suspended_user_is_told_whom_to_contact(client, make, login):
    instrument = weekday_instrument(make, contact_email="sem@bv.example")
    researcher = make.user("researcher")
    db.session.add(
        Suspension(user_id=researcher.id, organisation_id=instrument.organisation_id, reason="x")
    )
    db.session.commit()
    login(researcher)
    for url in (f"/instruments/{instrument.id}", f"/instruments/{instrument.id}/book"):
        page = client.get(url).get_data(as_text=True)
        assert 'data-gate="suspended"' in page and "mailto:sem@bv.example" in page
    assert 'id="booking-form"' not in page


def test_a_full_quota_is_shown_with_when_it_frees(client, make, login):
    instrument = weekday_instrument(make, rules={"max_future_bookings": 1})
    researcher = make.user("researcher")
    start = utcnow() + timedelta(days=2)
    db.session.add(
        Booking(
            instrument_id=instrument.id,
            user_id=researcher.id,
            created_by_id=researcher.id,
            start=start,
            end=start + timedelta(hours=2),
            blocked_until=start + timedelta(hours=2),
            status=BookingStatus.APPROVED,
        )
    )
    db.session.commit()
    login(researcher)
    page = client.get(f"/instruments/{instrument.id}/book").get_data(as_text=True)
    assert 'data-gate="future_quota"' in page and 'id="booking-form"' not in page
    other = make.user("researcher")
    client.post("/logout")
    login(other)
    page = client.get(f"/instruments/{instrument.id}/book").get_data(as_text=True)
    assert "data-gate=" not in page and 'id="booking-form"' in page
