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


def book_links(page: str, instrument_id: int) -> int:
    return page.count(f'href="/instruments/{instrument_id}/book"')


def test_the_instrument_page_offers_training_not_a_book_button_to_the_untrained(
    client, make, login
):
    """Issue 37: the header's book button (and the calendar's "book a free time") led an
    untrained user to a form that would refuse them; the page now offers the training."""
    instrument = weekday_instrument(make, requires_training=True)
    researcher = make.user("researcher")
    login(researcher)
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'id="book-gate-training"' in page and 'href="#training-request"' in page
    assert 'id="book-button"' not in page and book_links(page, instrument.id) == 0
    assert 'id="training-request"' in page  # the anchor the button leads to

    # Asked, not yet trained: no request form to go to, and still no usable book button.
    client.post(f"/instruments/{instrument.id}/training", data={"note": "please"})
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'id="training-request"' not in page
    assert 'id="book-blocked"' in page and 'data-gate="training"' in page
    assert book_links(page, instrument.id) == 0

    db.session.add(QualifiedUser(instrument_id=instrument.id, user_id=researcher.id))
    db.session.commit()
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'id="book-button"' in page and 'id="book-gate-training"' not in page
    assert book_links(page, instrument.id) == 2  # the header's button and the calendar's link


def test_a_suspended_user_meets_no_usable_book_button(client, make, login):
    instrument = weekday_instrument(make)
    researcher = make.user("researcher")
    db.session.add(
        Suspension(user_id=researcher.id, organisation_id=instrument.organisation_id, reason="x")
    )
    db.session.commit()
    login(researcher)
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'id="book-blocked"' in page and 'aria-disabled="true"' in page
    assert book_links(page, instrument.id) == 0


def test_the_check_in_page_sends_the_untrained_to_training(client, make, login):
    instrument = weekday_instrument(make, requires_training=True)
    login(make.user("researcher"))
    page = client.get(f"/instruments/{instrument.id}/here").get_data(as_text=True)
    assert 'id="gate-training-link"' in page
    assert f"/instruments/{instrument.id}#training-request" in page
    assert book_links(page, instrument.id) == 0
