"""The district at scale (`flask seed-demo --scale N`), written small: the same generators with
a handful of rows per unit of scale, on the test world (no demo seeding)."""

from __future__ import annotations

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
