"""The district at scale (`flask seed-demo --scale N`), written small: the same generators with
a handful of rows per unit of scale, on the test world (no demo seeding)."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.billing.models import Charge
from sharing.bookings.models import Booking
from sharing.demo import scale, scale_base
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.notices.models import Notification
from sharing.util.timeutil import utcnow

SMALL = {"instruments": 3, "users": 6, "bookings": 400, "orders": 5, "needs": 3, "claims": 0,
         "notifications": 10}  # fmt: skip


def test_a_small_district_is_believable_and_plugs_in_other_generators(make, monkeypatch):
    lab = make.org(slug="lab")
    make.user("manager", lab)
    make.user("researcher", make.org(slug="uni", kind="university"))
    make.user("enterprise", make.org(slug="firm", kind="enterprise"))
    make.instrument(org=lab, accepts_samples=True)
    called = []
    monkeypatch.setattr(scale_base, "GENERATORS", [])
    scale_base.scale_generator(lambda district: called.append(district.scale))

    counts = scale.seed_scale(2, sizes=SMALL)
    db.session.commit()

    def count(model) -> int:
        return db.session.scalar(select(func.count(model.id)))

    assert called == [2]
    assert count(Instrument) == 6 and count(User) == 12 and count(Notification) == 20
    assert 500 < counts["bookings"] < 1100  # about 800: the per-day load is drawn at random
    now = utcnow()
    bookings = db.session.scalars(select(Booking)).all()
    active = [b for b in bookings if b.is_active]
    assert all(b.start > now for b in active), "past bookings are all finished"
    by_instrument: dict[int, list] = {}
    for booking in active:
        by_instrument.setdefault(booking.instrument_id, []).append(booking)
    for rows in by_instrument.values():
        rows.sort(key=lambda b: b.start)
        assert all(a.blocked_until <= b.start for a, b in pairwise(rows))
    completed = [b.id for b in bookings if b.status.value == "completed"]
    charged = set(db.session.scalars(select(Charge.booking_id).where(Charge.kind == "usage")))
    assert completed and set(completed) == charged
    assert scale.seed_scale(2, sizes=SMALL) == {"already there": 1}


def test_loans_and_cruises_are_written_by_their_generators_and_keep_the_rules(make):
    """`seed-demo --scale` with a small factor writes loans of the day instruments (none of one
    instrument overlapping another, turnaround included) and cruises on the vessels (each
    holding its vessel by a downtime unless cancelled), in believable states."""
    from sharing.bookings.models import Downtime
    from sharing.cruises.models import Cruise, CruiseApplication, Vessel
    from sharing.loans.lifecycle import HOLDING_STATUSES, LoanStatus
    from sharing.loans.models import Loan, LoanItem
    from tests.fixtures.cruises import new_vessel
    from tests.fixtures.loans import day_instrument, day_rates

    lab = make.org(slug="lab")
    manager = make.user("manager", lab)
    make.user("researcher", make.org(slug="uni", kind="university"))
    make.user("enterprise", make.org(slug="firm", kind="enterprise"))
    make.instrument(org=lab)
    day_instrument(make, manager, day_rates("2000.00"), rules={"turnaround_days": 1})
    new_vessel(make, manager)
    sizes = {**SMALL, "loans": 40, "cruises": 3}

    counts = scale.seed_scale(2, sizes=sizes)
    db.session.commit()

    assert counts["loans"] == 80 and counts["cruises"] == 6
    today = utcnow().date()
    items = db.session.scalars(select(LoanItem).order_by(LoanItem.start_date)).all()
    assert len(items) == 80 and {i.loan_id for i in items} == set(
        db.session.scalars(select(Loan.id))
    )
    holding: dict[int, list] = {}
    for item in items:
        if item.status in HOLDING_STATUSES:
            holding.setdefault(item.instrument_id, []).append(item)
        assert item.blocked_until > item.end_date >= item.start_date
        if item.end_date < today - timedelta(days=8):
            assert item.status in (LoanStatus.CLOSED, LoanStatus.DECLINED, LoanStatus.CANCELLED)
        if item.start_date > today + timedelta(days=1):
            assert item.status in (LoanStatus.APPROVED, LoanStatus.REQUESTED)
    for rows in holding.values():
        assert all(a.blocked_until <= b.start_date for a, b in pairwise(rows))
    assert {i.status for i in items} >= {LoanStatus.CLOSED, LoanStatus.APPROVED}
    assert all(i.day_rate > 0 for i in items)
    # The copy of the vessel got its capacity; every cruise not cancelled holds its vessel.
    assert db.session.scalar(select(func.count()).select_from(Vessel)) == 2
    cruises = db.session.scalars(select(Cruise)).all()
    assert len({c.vessel_id for c in cruises}) == 2
    for cruise in cruises:
        hold = db.session.get(Downtime, cruise.downtime_id) if cruise.downtime_id else None
        assert (hold is None) == (cruise.status.value == "cancelled")
        assert (cruise.returned_on is not None) == (cruise.status.value == "completed")
    assert {c.status.value for c in cruises} & {"completed"}
    assert db.session.scalar(select(func.count(CruiseApplication.id))) >= 2 * len(cruises)
