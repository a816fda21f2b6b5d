"""Cost before commitment (api.md): every booking shows its estimate at the booker's rate, and a
dry run checks and prices a request without holding anything."""

from decimal import Decimal

from sqlalchemy import func, select

from sharing.bookings.models import Booking
from sharing.extensions import db
from tests.fixtures.bookings import at, next_weekday, weekday_instrument


def _request(instrument, day, start_hour, end_hour, **extra):
    return {
        "instrument_id": instrument.id,
        "start": at(day, start_hour),
        "end": at(day, end_hour),
        "purpose": "XPS of coatings",
        **extra,
    }


def _bookings() -> int:
    return db.session.scalar(select(func.count(Booking.id)))


def test_estimates_follow_the_bookers_category_and_increments(client, make, token_for):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, billing={"minimum_quantity": Decimal("2")})
    day = next_weekday()
    academic, company = make.user("researcher"), make.user("enterprise")
    # 200.00 an hour academic, 300.00 enterprise (tests.factories); the minimum is two hours.
    one_hour = client.post(
        "/api/v1/bookings", json=_request(instrument, day, 9, 10), headers=token_for(academic)
    )
    assert one_hour.status_code == 201, one_hour.json
    assert one_hour.json["estimate"] == "400.00"
    three = client.post(
        "/api/v1/bookings", json=_request(instrument, day, 11, 14), headers=token_for(company)
    )
    assert three.json["estimate"] == "900.00"
    own = client.post(
        "/api/v1/bookings", json=_request(instrument, day, 14, 17), headers=token_for(manager)
    )
    assert own.json["estimate"] == "300.00"  # internal: 100.00 an hour
    listed = client.get("/api/v1/bookings", headers=token_for(company)).json["items"]
    assert [b["estimate"] for b in listed] == ["900.00"]
    shown = client.get(f"/api/v1/bookings/{one_hour.json['id']}", headers=token_for(academic))
    assert shown.json["estimate"] == "400.00"


def test_a_dry_run_prices_a_series_and_holds_nothing(client, make, token_for):
    instrument = weekday_instrument(make, make.user("manager"))
    researcher = make.user("researcher")
    before = _bookings()
    answer = client.post(
        "/api/v1/bookings",
        json=_request(
            instrument, next_weekday(), 9, 11, dry_run=True, repeat={"freq": "weekly", "count": 3}
        ),
        headers=token_for(researcher),
    )
    assert answer.status_code == 200, answer.json
    assert answer.json == {"estimate": "1200.00", "violations": [], "conflicts": []}
    assert _bookings() == before


def test_a_dry_run_lists_the_rules_broken_and_the_clashes(client, make, token_for):
    instrument = weekday_instrument(make, make.user("manager"), requires_training=True)
    day = next_weekday()
    researcher, other = make.user("researcher"), make.user("researcher")
    untrained = client.post(
        "/api/v1/bookings",
        json=_request(instrument, day, 9, 10, dry_run=True),
        headers=token_for(researcher),
    )
    assert untrained.status_code == 200
    assert [v["code"] for v in untrained.json["violations"]] == ["not_qualified"]
    assert untrained.json["estimate"] == "200.00"

    open_one = weekday_instrument(make, make.user("manager"))
    taken = client.post(
        "/api/v1/bookings", json=_request(open_one, day, 9, 11), headers=token_for(other)
    )
    assert taken.status_code == 201
    clash = client.post(
        "/api/v1/bookings",
        json=_request(open_one, day, 10, 12, dry_run=True),
        headers=token_for(researcher),
    )
    assert clash.status_code == 200
    assert clash.json["violations"] == []
    assert clash.json["conflicts"] == [{"start": at(day, 9), "end": at(day, 11), "kind": "booking"}]
    assert clash.json["estimate"] == "400.00"


def test_a_dry_run_is_checked_like_a_request(client, make, token_for):
    instrument = weekday_instrument(make, make.user("manager"))
    day = next_weekday()
    backwards = client.post(
        "/api/v1/bookings",
        json=_request(instrument, day, 11, 9, dry_run=True),
        headers=token_for(make.user("researcher")),
    )
    assert backwards.status_code == 400
    not_a_flag = client.post(
        "/api/v1/bookings",
        json=_request(instrument, day, 9, 11, dry_run="maybe"),
        headers=token_for(make.user("researcher")),
    )
    assert not_a_flag.status_code == 400
