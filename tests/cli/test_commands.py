"""The command line: create-org, create-user and seed-demo, with every error path."""

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from sharing.auth.models import Role, User
from sharing.billing.models import Charge, ChargeKind
from sharing.bookings.models import Booking
from sharing.challenges.models import Challenge
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orders.models import Order
from sharing.orgs.models import Organisation


def test_create_org_and_user(runner):
    result = runner.invoke(
        args=[
            "create-org",
            "fio",
            "--name",
            "第一海洋研究所",
            "--name-en",
            "FIO",
            "--kind",
            "institute",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created organisation fio" in result.output
    result = runner.invoke(
        args=[
            "create-user",
            "Li@FIO.example",
            "--name",
            "李娜",
            "--password",
            "secret-pass-1",
            "--role",
            "researcher",
            "--org",
            "fio",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.organisation.slug) == (
        "li@fio.example",
        Role.RESEARCHER,
        "fio",
    )


def _one_error_line(result) -> str:
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def create_user_args(**changes) -> list[str]:
    options = {
        "email": "a@b.example",
        "name": "A",
        "password": "secret-pass-1",
        "role": "researcher",
        "org": "fio",
    }
    options.update(changes)
    email = options.pop("email")
    return [
        "create-user",
        email,
        *[part for key, value in options.items() for part in (f"--{key}", value)],
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"org": "nowhere"}, "No organisation 'nowhere'"),
        ({"email": "LI@fio.example"}, "exists already"),
        ({"role": "king"}, "Unknown role 'king'"),
        ({"password": "short"}, "password"),
        ({"email": "not-an-email"}, "@"),
    ],
)
def test_create_user_errors(runner, make, changes, message):
    org = make.org(slug="fio")
    make.user(org=org, email="li@fio.example")
    result = runner.invoke(args=create_user_args(**changes))
    assert message in _one_error_line(result)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_org_duplicate_and_bad_values(runner, make):
    make.org(slug="fio")
    duplicate = runner.invoke(args=["create-org", "fio", "--name", "X", "--kind", "institute"])
    assert "exists already" in _one_error_line(duplicate)
    bad_kind = runner.invoke(args=["create-org", "x", "--name", "X", "--kind", "club"])
    assert "Unknown kind 'club'" in _one_error_line(bad_kind)
    bad_slug = runner.invoke(args=["create-org", "Bad Slug!", "--name", "X", "--kind", "institute"])
    assert "slug" in _one_error_line(bad_slug)
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def _counts():
    return tuple(
        db.session.scalar(select(func.count(model.id)))
        for model in (Organisation, User, Instrument, Booking, Challenge, Order, Charge)
    )


def _a_second_seeding_changes_nothing(runner):
    after_first = _counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts() == after_first
    assert "0 created" in second.output
    organisations, _users, instruments, bookings, challenges, _orders, _charges = after_first
    assert organisations >= 10 and instruments >= 40 and bookings >= 40 and challenges >= 6
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    categories = set(db.session.scalars(select(Instrument.category_id)))
    assert len(categories) == 14  # every category, research vessels too


def _sample_orders_in_every_stage_of_the_labs_work(result, app):
    assert "sample orders: 6 created" in result.output
    orders = db.session.scalars(select(Order).order_by(Order.id)).all()
    assert [order.status.value for order in orders] == [
        "submitted",
        "quoted",
        "accepted",
        "in_analysis",
        "delivered",
        "completed",
    ]
    for order in orders:  # a lab never tests its own organisation's samples for a fee
        assert order.customer_org_id != order.instrument.organisation_id
    assert [len(order.results) for order in orders] == [0, 0, 0, 0, 1, 1]
    assert orders[0].quote_total is None and orders[1].quote_total > 0
    [charge] = db.session.scalars(select(Charge).where(Charge.kind == ChargeKind.SAMPLE_TESTING))
    completed = orders[-1]
    assert charge.order_id == completed.id
    assert charge.quantity == completed.measured_samples == 5
    assert charge.amount == completed.quote_total
    times = [event.at for event in completed.events]  # a day between steps, not one instant
    assert len(times) == 7 and all(b - a == timedelta(days=1) for a, b in pairwise(times))
    assert completed.created_at == times[0]


def _training_for_every_role_to_see_or_do(result, app):
    from datetime import timedelta

    from sharing.demo.data import BOOKER_EMAILS
    from sharing.instruments.attached import QualifiedUser
    from sharing.training.models import TrainingRequest
    from sharing.util.timeutil import utcnow

    now = utcnow()
    grants = db.session.scalars(select(QualifiedUser)).all()
    assert len([g for g in grants if g.expires_at > now]) >= 10
    assert any(now < g.expires_at <= now + timedelta(days=14) for g in grants)  # a reminder due
    assert any(g.expires_at <= now for g in grants)  # a lapsed one
    statuses = {r.status.value for r in db.session.scalars(select(TrainingRequest))}
    assert {"requested", "scheduled", "granted"} <= statuses
    # Someone who is not a manager may book every instrument that needs training (or is
    # asking to be trained on it).
    trained = db.session.scalars(select(Instrument.id).where(Instrument.requires_training)).all()
    booker_ids = {
        u.id for u in db.session.scalars(select(User).where(User.email.in_(BOOKER_EMAILS)))
    }
    bookable = {g.instrument_id for g in grants if g.expires_at > now and g.user_id in booker_ids}
    asked = {r.instrument_id for r in db.session.scalars(select(TrainingRequest))}
    assert set(trained) <= bookable | asked


def _a_picture_for_every_instrument(result, app):
    from sharing.core import storage
    from sharing.instruments.attached import InstrumentPhoto
    from sharing.instruments.photos import photo_key

    instruments = db.session.scalar(select(func.count()).select_from(Instrument))
    photos = db.session.scalars(select(InstrumentPhoto)).all()
    assert len({photo.instrument_id for photo in photos}) == instruments
    # In the database, so that every app server serves them.
    assert all(storage.exists(photo_key(f"{photo.stored_name}-thumb.jpg")) for photo in photos)


def _no_mail_printed(result, app, caplog):
    assert not [r for r in caplog.records if r.name == "sharing.mail"]


def _the_evidence_for_the_yearly_assessment(result, app):
    """The district's figures from individual records: 98 invention patents this year against
    23 the year before (+326 %), 56 major research tasks against 34; every large instrument
    registered; a year of ratings; open faults; a calibration falling due."""
    from sharing.assessment.achievements import counts_by_year
    from sharing.assessment.models import Achievement, AchievementKind, Incident, Rating
    from sharing.assessment.yearly import yearly_report
    from sharing.instruments.models import LARGE_INSTRUMENT_VALUE
    from sharing.util.timeutil import utcnow
    from tests.fixtures.bookings import SHANGHAI

    year = utcnow().astimezone(SHANGHAI).year
    patents = counts_by_year(AchievementKind.PATENT, invention_only=True)
    assert [(c.year, c.count) for c in patents] == [(year - 1, 23), (year, 98)]
    assert patents[-1].growth == Decimal("3.2609")  # +326 %
    tasks = counts_by_year(AchievementKind.MAJOR_TASK)
    assert [(c.year, c.count) for c in tasks] == [(year - 1, 34), (year, 56)]
    references = db.session.scalars(select(Achievement.reference)).all()
    assert len(set(references)) == len(references)  # each its own patent or task number
    large = db.session.scalars(
        select(Instrument).where(Instrument.original_value >= LARGE_INSTRUMENT_VALUE)
    ).all()
    # Research vessels are registered too, but reported by ship days, not machine hours.
    assert all(i.national_code and i.country_of_origin and i.source for i in large)
    large = [i for i in large if i.category.slug != "research-vessels"]
    assert all(i.national_code and i.country_of_origin and i.source for i in large)
    ratings = db.session.scalars(select(Rating)).all()
    months = {rating.created_at.strftime("%Y-%m") for rating in ratings}
    assert len(ratings) > 250 and len(months) >= 11  # a year of them
    incidents = db.session.scalars(select(Incident)).all()
    assert sum(1 for i in incidents if i.status.value == "open") >= 3
    soon = [i for i in incidents if i.next_due_on and (i.next_due_on - utcnow().date()).days <= 14]
    assert soon  # a calibration reminder is due
    report = yearly_report(year)
    assert len(report) == len(large)
    assert sum(row["effective_hours"] > 0 for row in report) >= len(report) - 2
    assert sum(row["achievements"] for row in report) > 0


def _the_districts_published_figures(result, app):
    """GET /impact on the demo data: this year's figures are the district's own, built from
    individual records (distinct companies of visits, needs, transfers and their amounts)."""
    from sharing.needs.models import Need, NeedEvent, Transfer, Visit

    body = app.test_client().get("/api/v1/impact").json
    assert body["companies_visited"] == 189
    assert body["needs_collected"] == 234
    assert body["needs_claimed"] == 56
    assert body["transfers"] == 192
    assert body["transfer_amount"] == "250000000.00"
    assert body["alliance_members"] == 63
    assert (body["major_tasks"], body["previous"]["major_tasks"]) == (56, 34)
    assert (body["invention_patents"], body["previous"]["invention_patents"]) == (98, 23)
    assert body["growth"]["invention_patents"] == "3.2609"
    assert 0 < body["needs_contracted"] < body["needs_in_talks"] < body["needs_claimed"]
    assert body["previous"]["companies_visited"] > 0 and body["previous"]["transfers"] > 0
    visits = db.session.scalar(select(func.count(Visit.id)))
    assert visits > 189  # some companies were visited twice
    titles = list(db.session.scalars(select(Need.title)))
    assert len(set(titles)) == len(titles)  # every need reads as its own
    amounts = list(db.session.scalars(select(Transfer.amount)))
    assert len(set(amounts)) > 150  # individual contracts, not one amount repeated
    assert db.session.scalar(select(func.count(NeedEvent.id))) > len(titles)


def _receivables_agree_with_the_statements(result, app):
    """One total, two views: for every customer and month of the demo, what each provider's
    receivables say the customer owes it equals its subtotal on the customer's statement; demo
    invoices and receivables stand in every state."""
    from sharing.billing.models import Charge, Invoice
    from sharing.billing.services import get_statement
    from sharing.billing.services.receivables import list_receivables
    from sharing.util.formatting import local_today

    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    pairs = db.session.execute(
        select(Charge.customer_org_id, Charge.month).distinct().order_by(Charge.month)
    ).all()
    owed: dict = {}
    statuses = set()
    for provider in db.session.scalars(
        select(Organisation).where(Organisation.id.in_(select(Charge.owner_org_id)))
    ):
        for month in {month for _customer, month in pairs}:
            for item in list_receivables(provider, month):
                owed[(item.customer.id, month, provider.id)] = item.amount
                statuses.add(item.status)
    for customer_id, month in pairs:
        statement = get_statement(admin, db.session.get(Organisation, customer_id), month)
        for owner, amount in statement.subtotals:
            if owner is not None:
                assert owed.pop((customer_id, month, owner.id)) == amount
    assert not owed
    # A month invoiced in two parts, the first paid, stands beside whole months in each state.
    assert statuses == {"not_invoiced", "invoiced", "partly_paid", "paid"}
    invoices = list(db.session.scalars(select(Invoice)))
    today = local_today()
    states = {
        "paid" if i.paid_on else ("overdue" if (today - i.issued_on).days > 30 else "invoiced")
        for i in invoices
    }
    assert states == {"paid", "overdue", "invoiced"}


def _vouchers_in_every_state(result, app):
    """This year's programme has claims in every state, made through the real checks, and the
    equipment maker stands close to its cap."""
    from sharing.vouchers.models import VoucherClaim, VoucherProgramme
    from sharing.vouchers.services import summarise

    programme = db.session.scalar(select(VoucherProgramme))
    claims = list(db.session.scalars(select(VoucherClaim)))
    assert {claim.status.value for claim in claims} == {"submitted", "approved", "rejected", "paid"}
    reasons = {line.reason for claim in claims for line in claim.lines}
    assert "related_party" in reasons
    # No claim without an eligible line: the textile group, no SME, filed none.
    assert all(any(line.eligible for line in claim.lines) for claim in claims)
    assert "jimo-textile" not in {claim.organisation.slug for claim in claims}
    [(name, granted), *_rest] = summarise(programme).closest_to_cap
    assert name == "青岛蓝谷海工装备有限公司"
    assert programme.enterprise_cap * 8 / 10 < granted <= programme.enterprise_cap
    # The car-parts firm filed again without its last paid month: those charges are still
    # offered on its page, and nothing that a claim holds is.
    from sharing.auth.models import User
    from sharing.vouchers.offer import offer

    firm_user = db.session.scalar(select(User).where(User.email == "enterprise@jimo-auto.example"))
    with app.test_request_context():
        offered = offer(firm_user, programme)
    held = {line.charge_id for claim in claims for line in claim.lines if line.holds}
    open_ids = {line.charge.id for _m, lines in offered.months for line in lines if line.claimable}
    assert open_ids and not open_ids & held


def _accounts_at_the_universities(result, app):
    """PIs hold grants, one of them lapsed; their students' charges name the grants."""
    from sharing.billing.services.accounts import account_usage
    from sharing.funding.models import FundingAccount
    from sharing.funding.services import usable_accounts

    accounts = {a.code: a for a in db.session.scalars(select(FundingAccount))}
    assert set(accounts) == {"NSFC-42176089", "SDU-HX-2023-017", "2022YFC2807300"}
    grant = accounts["NSFC-42176089"]
    usage = account_usage(grant)
    assert usage and {use.user_name for use in usage} == {"李娜（研究员）"}
    assert all(use.amount > 0 for use in usage)
    student = db.session.scalar(select(User).where(User.email == "researcher@sdu.example"))
    assert [a.code for a in usable_accounts(student)] == ["NSFC-42176089"]  # the other lapsed
    charged = db.session.scalar(
        select(db.func.count(Charge.id)).where(Charge.account_id == grant.id)
    )
    assert charged == sum(use.lines for use in usage)


def _the_yearly_figures_vary(result, app):
    """A year of a real district: busy and idle instruments, hours that differ between kinds,
    comments that fit the instrument (the year checked is the one most of the history is in)."""
    from datetime import datetime

    from sharing.assessment.models import Rating
    from sharing.assessment.yearly import yearly_report
    from sharing.billing.reports import utilisation
    from sharing.demo.year_of_use import comments
    from sharing.util.timeutil import Interval, utcnow
    from tests.fixtures.bookings import SHANGHAI

    today = utcnow().astimezone(SHANGHAI)
    year = today.year if today.month >= 7 else today.year - 1
    report = yearly_report(year)
    kinds = {i.id: i.category.slug for i in db.session.scalars(select(Instrument))}
    by_hours: dict = {}
    for row in report:
        by_hours.setdefault(row["effective_hours"], set()).add(kinds[row["instrument_id"]])
    assert all(len(found) == 1 for found in by_hours.values()), by_hours
    assert sum(row["effective_hours"] > 200 for row in report) >= 10
    assert len({row["samples"] for row in report}) > len(report) // 2
    assert len({row["users_served"] for row in report}) >= 15
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = min(datetime(year + 1, 1, 1, tzinfo=SHANGHAI), today.replace(hour=0, minute=0))
    shares = [row["utilisation"] for row in utilisation(Interval(start, end))]
    assert sum(Decimal("0.40") <= share <= Decimal("0.70") for share in shares) >= 8
    assert sum(share < Decimal("0.03") for share in shares) >= 3  # and some stand idle
    for rating in db.session.scalars(select(Rating).where(Rating.score == 2)):
        kind = rating.instrument.category.slug
        assert rating.comment in comments(kind, 2), (kind, rating.comment)


def test_the_demo_gives_every_role_something_to_see_or_do(runner, app, caplog):
    """One seeding, read by each check (seeding is the slow part)."""
    import logging

    with caplog.at_level(logging.INFO, logger="sharing.mail"):
        result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    _no_mail_printed(result, app, caplog)
    _sample_orders_in_every_stage_of_the_labs_work(result, app)
    _training_for_every_role_to_see_or_do(result, app)
    _a_picture_for_every_instrument(result, app)
    _the_evidence_for_the_yearly_assessment(result, app)
    _the_yearly_figures_vary(result, app)
    _the_districts_published_figures(result, app)
    _receivables_agree_with_the_statements(result, app)
    _vouchers_in_every_state(result, app)
    _accounts_at_the_universities(result, app)
    # Last: the checks above read the first seeding's figures, this one seeds again.
    _a_second_seeding_changes_nothing(runner)
