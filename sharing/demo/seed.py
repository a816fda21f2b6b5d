"""Load the demo data; everything is looked up first, so a second run changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.auth.services import create_user, get_user_by_email
from sharing.billing.models import Charge
from sharing.billing.services import record_usage
from sharing.bookings.models import Booking
from sharing.bookings.services import request_booking
from sharing.challenges.models import Challenge
from sharing.challenges.services import (
    apply_to_challenge,
    award_challenge,
    complete_challenge,
    post_challenge,
)
from sharing.core.errors import DomainError
from sharing.demo.accounts import seed_accounts
from sharing.demo.agents import seed_agents
from sharing.demo.assessment import seed_assessment
from sharing.demo.campus import seed_campus
from sharing.demo.cruises import seed_cruises
from sharing.demo.data import (
    ALWAYS,
    BOOKER_EMAILS,
    CATEGORY_TEXTS,
    CHALLENGES,
    DEMO_PASSWORD,
    EXTENDED,
    INSTRUMENTS,
    ORGANISATIONS,
    USERS,
)
from sharing.demo.illustrations import illustration
from sharing.demo.invoices import seed_invoices
from sharing.demo.loans import seed_loans
from sharing.demo.operations import seed_operations
from sharing.demo.pipeline import seed_pipeline
from sharing.demo.vouchers import seed_vouchers
from sharing.extensions import db
from sharing.instruments.models import Instrument, QualifiedUser
from sharing.instruments.photos import store_photo
from sharing.instruments.qualifications import qualification_of
from sharing.instruments.rules import OpenWindow
from sharing.instruments.services import create_instrument
from sharing.orders.models import Order
from sharing.orders.results import Upload, add_result
from sharing.orders.services import (
    accept_order,
    complete_order,
    deliver_results,
    quote_order,
    receive_samples,
    start_analysis,
    submit_order,
)
from sharing.orgs.services import create_organisation, get_organisation
from sharing.training.models import TrainingRequest
from sharing.training.services import grant_training, request_training, schedule_training
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow

# Internal users pay less and companies more than other academics: the usual sharing tariff.
DEMO_PROPOSALS = [
    "**技术路线**：仿真优化 + 样机试制 + 压力舱验证，依托本单位共享仪器完成表征。",
    "**技术路线**：先行小试确定工艺窗口，再联合企业中试放大。",
]
DEMO_PURPOSES = ["海洋沉积物样品分析", "课题组例行测试", "企业委托检测", "新材料表征"]
CATEGORY_FACTORS = {
    "internal": Decimal("0.6"),
    "academic": Decimal("1"),
    "enterprise": Decimal("1.5"),
}


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        lines = [
            f"{kind}: {self.created[kind]} created, {self.existing[kind]} already there"
            for kind in (
                "organisations",
                "users",
                "instruments",
                "bookings",
                "challenges",
                "used sessions",
                "sample orders",
                "ratings",
                "incidents",
                "achievements",
                "agents",
                "agent sessions",
            )
        ]
        lines.append(f"Demo password for every account: {DEMO_PASSWORD}")
        lines += [f"  {email}  ({role})" for email, _name, role, _org in USERS]
        return "\n".join(lines)


def _open_hours(kind: str) -> list[OpenWindow]:
    if kind == ALWAYS:
        return []
    if kind == EXTENDED:
        return [OpenWindow(day, 8 * 60, 22 * 60) for day in range(6)]
    return [OpenWindow(day, 8 * 60, 20 * 60) for day in range(5)]


def _rates(hourly: int, per_sample: int | None) -> list[dict]:
    rates = []
    for category, factor in CATEGORY_FACTORS.items():
        rates.append({"category": category, "unit": "hour", "price": Decimal(hourly) * factor})
        if per_sample is not None:
            rates.append(
                {"category": category, "unit": "sample", "price": Decimal(per_sample) * factor}
            )
    return rates


def _instrument_exists(organisation_id: int, name: str) -> bool:
    statement = select(Instrument.id).where(
        Instrument.organisation_id == organisation_id, Instrument.name == name
    )
    return db.session.scalar(statement) is not None


def seed_demo() -> SeedReport:
    """Add whatever demo organisations, users and instruments are missing."""
    report = SeedReport()
    for slug, name, name_en, kind in ORGANISATIONS:
        if get_organisation(slug) is None:
            create_organisation(slug, name, kind, name_en)
            report.created["organisations"] += 1
        else:
            report.existing["organisations"] += 1
    managers = {}
    for email, name, role, org_slug in USERS:
        user = get_user_by_email(email)
        if user is None:
            user = create_user(email, name, DEMO_PASSWORD, role, get_organisation(org_slug))
            report.created["users"] += 1
        else:
            report.existing["users"] += 1
        if role == "manager":
            managers[org_slug] = user
    admin = get_user_by_email(USERS[0][0])
    for row in INSTRUMENTS:
        (org_slug, category, name, name_en, model, maker, value, year, location, specs,
         hourly, per_sample, approval, training, hours) = row  # fmt: skip
        organisation = get_organisation(org_slug)
        if _instrument_exists(organisation.id, name):
            report.existing["instruments"] += 1
            continue
        contact = managers.get(org_slug)
        functions, applications = CATEGORY_TEXTS[category]
        create_instrument(
            admin,
            {
                "organisation": org_slug,
                "category": category,
                "name": name,
                "name_en": name_en,
                "model": model,
                "manufacturer": maker,
                "original_value": Decimal(value),
                "year_commissioned": year,
                "location": location,
                "specifications": specs,
                "functions": functions,
                "applications": applications,
                "contact_name": contact.name if contact else "",
                "contact_email": contact.email if contact else "",
                "contact_phone": "0532-8899" + f"{len(name) * 37 % 10000:04d}",
                "requires_approval": approval,
                "requires_training": training,
                "accepts_samples": per_sample is not None,
                "turnaround_days": 5 if per_sample is not None else None,
                "rules": {
                    "open_hours": _open_hours(hours),
                    "max_minutes": 24 * 60 if hours == ALWAYS else 8 * 60,
                    "slot_minutes": 60 if hourly >= 1000 else 30,
                    "min_minutes": 60 if hourly >= 1000 else 30,
                    "buffer_minutes": 30 if approval and training else 0,
                },
                "rates": _rates(hourly, per_sample),
            },
        )
        report.created["instruments"] += 1
    db.session.flush()
    _seed_bookings(report, managers)
    _seed_challenges(report)
    _seed_usage(report, managers)
    _seed_orders(report, managers)
    _seed_training(report, managers)
    # Vessels before the photos (each gets its picture) and the register fields.
    seed_cruises(report.existing, report.created)
    _seed_photos(report)
    seed_assessment(report.existing, report.created, managers)
    seed_pipeline(report.existing, report.created)
    seed_accounts(report.existing, report.created)
    seed_invoices(report.existing, report.created)
    seed_vouchers(report.existing, report.created)
    seed_campus(report.existing, report.created)
    seed_agents(report.existing, report.created)
    seed_loans(report.existing, report.created)
    # Last: the mails the story above queued.
    seed_operations(report.existing, report.created)
    return report


def _seed_photos(report: SeedReport) -> None:
    """A drawn illustration of its kind for every instrument that has no photo yet."""
    bare = db.session.scalars(
        select(Instrument).where(~Instrument.photos.any()).order_by(Instrument.id)
    ).all()
    pictures = {}
    for instrument in bare:
        slug = instrument.category.slug
        if slug not in pictures:
            pictures[slug] = illustration(slug)
        store_photo(pictures[slug], instrument, None)
        report.created["photos"] += 1


# Who is trained where in the demo: 李娜 on most instruments that need it (one grant lapses in
# ten days), 张伟's lapsed on one, and requests in each state for the managers' desks.
TRAINED_EMAIL = "researcher@sdu.example"
LAPSED_EMAIL = "researcher@fio.example"
ASKING_EMAILS = ("researcher@ouc.example", "researcher@qnlm.example", "enterprise@biomed.example")


def _seed_training(report: SeedReport, managers: dict) -> None:
    """Qualifications and training requests, so every demo role has training to see or do."""
    if db.session.scalar(select(TrainingRequest.id).limit(1)) is not None:
        report.existing["training requests"] += 1
        return
    now = utcnow()
    trained = db.session.scalars(
        select(Instrument).where(Instrument.requires_training).order_by(Instrument.id)
    ).all()
    admin = get_user_by_email(USERS[0][0])

    def manager_of(instrument):
        return managers.get(instrument.organisation.slug) or admin

    qualified = get_user_by_email(TRAINED_EMAIL)
    for number, instrument in enumerate(trained[:12]):
        request = request_training(qualified, instrument, "课题需要，已读操作规程")
        # One grant lapses within the reminder's fortnight; the others last most of a year.
        lasts = timedelta(days=10) if number == 3 else timedelta(days=200 + 15 * number)
        grant_training(manager_of(instrument), request, now + lasts)
        report.created["qualifications"] += 1
    lapsed = get_user_by_email(LAPSED_EMAIL)
    request = request_training(lapsed, trained[0], "")
    grant_training(manager_of(trained[0]), request, now + timedelta(days=1))
    qualification_of(lapsed, trained[0]).expires_at = now - timedelta(days=20)
    report.created["qualifications"] += 1
    notes = (
        "做微塑料表面形貌，需要上机培训",
        "想学习谱图采集与数据处理",
        "企业质检需要，请安排培训",
    )
    for number, email in enumerate(ASKING_EMAILS):
        asker = get_user_by_email(email)
        instrument = trained[12 + number]
        request = request_training(asker, instrument, notes[number])
        report.created["training requests"] += 1
        if number == 0:
            _schedule_demo_session(manager_of(instrument), request)
    db.session.flush()
    report.created["qualifications"] += _qualify_lab_people(trained, manager_of, now)


# Outside users trained on the gear of organisations with no demo booker of their own: ocean
# researchers on the deep-sea centre's slot-booked gear (the ROV itself goes out on loan with
# its pilots), the car maker on the materials testers and CT, the equipment maker on the
# hydrophone calibration, a materials researcher on the environmental SEM.
TRAINED_FROM_OUTSIDE = {
    "ndsc": ("researcher@fio.example", "researcher@qnlm.example"),
    "heu-qd": ("enterprise@jimo-auto.example",),
    "tju-qiot": ("enterprise@marine-eq.example",),
    "smit": ("researcher@sdu.example",),
}


def _qualify_lab_people(trained, manager_of, now: datetime) -> int:
    """Every demo booker qualified on the training instruments of their own organisation (and
    outside users where no booker of the owner's is), as a lab's own people are; grants of some
    months ago that last a year. Those asking for training or lapsed keep their standing."""
    asked = set(db.session.execute(select(TrainingRequest.user_id, TrainingRequest.instrument_id)))
    people = [get_user_by_email(email) for email in BOOKER_EMAILS]
    granted = 0
    for instrument in trained:
        for person in people:
            own = person.organisation_id == instrument.organisation_id
            outside = person.email in TRAINED_FROM_OUTSIDE.get(instrument.organisation.slug, ())
            if not (own or outside) or (person.id, instrument.id) in asked:
                continue
            if qualification_of(person, instrument) is not None:
                continue
            db.session.add(
                QualifiedUser(
                    instrument_id=instrument.id,
                    user_id=person.id,
                    granted_at=now - timedelta(days=120),
                    granted_by_id=manager_of(instrument).id,
                    expires_at=now + timedelta(days=245),
                )
            )
            granted += 1
    db.session.flush()
    return granted


def _schedule_demo_session(manager: User, request) -> None:
    """The first free weekday afternoon next week, as the training session."""
    for day in _weekdays(10, step=1)[3:]:
        start = day + timedelta(hours=14)
        try:
            with db.session.begin_nested():
                schedule_training(manager, request, start, start + timedelta(hours=2))
            return
        except DomainError:
            continue


def _seed_usage(report: SeedReport, managers: dict) -> None:
    """Sessions of the past weeks, used and charged, so statements and reports show figures."""
    customers = [
        get_user_by_email(email)
        for email, _n, role, _o in USERS
        if role in ("researcher", "enterprise")
    ]
    days = _weekdays(15, step=-1)
    instruments = db.session.scalars(select(Instrument).order_by(Instrument.id)).all()
    for number, instrument in enumerate(instruments[:30]):
        if db.session.scalar(
            select(Charge.id).where(Charge.instrument_id == instrument.id).limit(1)
        ):
            report.existing["instruments with usage"] += 1
            continue
        manager = managers.get(instrument.organisation.slug) or get_user_by_email(USERS[0][0])
        for session in range(3):
            day = days[(number + session * 4) % len(days)]
            start = day + timedelta(hours=9 if session % 2 == 0 else 14)
            end = start + timedelta(hours=2)
            customer = customers[(number + session) % len(customers)]
            try:
                with db.session.begin_nested():
                    [booking] = request_booking(
                        manager,
                        instrument.id,
                        start,
                        end,
                        purpose=DEMO_PURPOSES[session],
                        user_id=customer.id,
                    )
                    record_usage(
                        manager,
                        booking,
                        start,
                        end + timedelta(minutes=15 * session),
                        3 if session == 2 else None,
                    )
            except DomainError:
                continue
            report.created["used sessions"] += 1


# How far each demo order has come, from waiting for the lab's quote to charged.
DEMO_ORDERS = [
    (3, "submitted"),
    (6, "quoted"),
    (6, "accepted"),
    (4, "in_analysis"),
    (8, "delivered"),
    (5, "completed"),
]
ORDER_STAGES = [stage for _samples, stage in DEMO_ORDERS]
DEMO_RESULT = "样品编号,测定值,单位\nS-01,12.4,mg/kg\nS-02,9.8,mg/kg\n".encode()


def _seed_orders(report: SeedReport, managers: dict) -> None:
    """Sample testing orders in every stage of the lab's work, the last one charged."""
    existing = db.session.scalar(select(func.count(Order.id)))
    if existing:
        report.existing["sample orders"] += existing
        return
    customers = [get_user_by_email(email) for email in BOOKER_EMAILS]
    instruments = db.session.scalars(
        select(Instrument).where(Instrument.accepts_samples).order_by(Instrument.id)
    ).all()
    # Fewer instruments taking samples than stages would only mean fewer demo orders.
    pairs = zip(DEMO_ORDERS, instruments, strict=False)
    for number, ((samples, last_stage), instrument) in enumerate(pairs):
        customer = next(
            person
            for person in customers[number:] + customers[:number]
            if person.organisation_id != instrument.organisation_id
        )
        lab = managers.get(instrument.organisation.slug) or get_user_by_email(USERS[0][0])
        order = submit_order(
            customer,
            {
                "instrument_id": instrument.id,
                "samples": samples,
                "sample_type": "海洋沉积物",
                "description": DEMO_PURPOSES[number % len(DEMO_PURPOSES)],
                "analysis": "常规项目，按仪器标准方法测定",
                "delivery": "courier" if number % 2 == 0 else "in_person",
                "tracking_number": f"SF{1400 + number}2026" if number % 2 == 0 else "",
            },
        )
        _advance_order(order, customer, lab, ORDER_STAGES.index(last_stage))
        _spread_history(order)
        report.created["sample orders"] += 1


def _spread_history(order: Order) -> None:
    """A working day between the demo steps, the last one now: a history that reads like work."""
    db.session.flush()
    now = utcnow()
    steps_left = len(order.events) - 1
    for event in order.events:
        event.at = now - timedelta(days=steps_left)
        steps_left -= 1
    order.created_at = order.events[0].at


def _advance_order(order: Order, customer: User, lab: User, stage: int) -> None:
    """Take a submitted order through the first `stage` steps of ORDER_STAGES."""
    if stage >= 1:
        quote_order(lab, order, None)  # at the rate card's per-sample price
    if stage >= 2:
        accept_order(customer, order)
    if stage >= 3:
        receive_samples(lab, order, order.samples)
        start_analysis(lab, order)
    if stage >= 4:
        add_result(lab, order, Upload("测定结果.csv", "text/csv", DEMO_RESULT))
        deliver_results(lab, order)
    if stage >= 5:
        complete_order(lab, order, order.samples)


def _seed_challenges(report: SeedReport) -> None:
    """A board with open, awarded and completed challenges and their applications."""
    researchers = [
        get_user_by_email(email) for email, _n, role, _o in USERS if role == "researcher"
    ]
    company_users = {
        org: get_user_by_email(email) for email, _n, role, org in USERS if role == "enterprise"
    }
    now = utcnow()
    for number, (slug, title, area, budget, days, state, description) in enumerate(CHALLENGES):
        organisation = get_organisation(slug)
        exists = select(Challenge.id).where(
            Challenge.organisation_id == organisation.id, Challenge.title == title
        )
        if db.session.scalar(exists) is not None:
            report.existing["challenges"] += 1
            continue
        owner = company_users.get(slug) or get_user_by_email(USERS[0][0])
        data = {
            "title": title,
            "field": area,
            "budget": Decimal(budget),
            "description": description,
            "deadline": now + timedelta(days=days),
            "status": "open",
            "organisation": slug,
        }
        challenge = post_challenge(owner, data, now)
        applications = [
            apply_to_challenge(
                researchers[(number + n) % len(researchers)],
                challenge,
                {
                    "proposal": DEMO_PROPOSALS[n],
                    "team": "课题组 4 人",
                    "timeline": "12 个月",
                    "quote": Decimal(budget) * Decimal("0.9"),
                },
                now,
            )
            for n in range(2 if state != "open" or number % 2 == 0 else 1)
        ]
        if state in ("awarded", "completed"):
            award_challenge(owner, challenge, applications[0].id, now)
        if state == "completed":
            complete_challenge(owner, challenge, Decimal(budget) * Decimal("0.85"), now)
        report.created["challenges"] += 1


def _weekdays(count: int, step: int) -> list:
    """Local midnights of `count` weekdays after (step 1) or before (step -1) today."""
    zone = platform_zone()
    day = datetime.now(zone).date()
    days = []
    while len(days) < count:
        day += timedelta(days=step)
        if day.weekday() < 5:
            days.append(datetime.combine(day, time(0), tzinfo=zone))
    return days


def _seed_bookings(report: SeedReport, managers: dict) -> None:
    """A few weeks of plausible bookings on instruments that have none yet."""
    researchers = [
        get_user_by_email(email)
        for email, _n, role, _o in USERS
        if role in ("researcher", "enterprise")
    ]
    days = _weekdays(10, step=1)
    instruments = db.session.scalars(select(Instrument).order_by(Instrument.id)).all()
    for number, instrument in enumerate(instruments[:24]):
        if db.session.scalar(
            select(Booking.id).where(Booking.instrument_id == instrument.id).limit(1)
        ):
            report.existing["instruments with bookings"] += 1
            continue
        manager = managers.get(instrument.organisation.slug) or get_user_by_email(USERS[0][0])
        for slot in range(4):
            day = days[(number + slot * 3) % len(days)]
            hour = 9 if slot % 2 == 0 else 14
            user = researchers[(number + slot) % len(researchers)]
            start, end = day + timedelta(hours=hour), day + timedelta(hours=hour + 2)
            try:
                with db.session.begin_nested():
                    if (
                        slot in (1, 3)
                        and instrument.requires_approval
                        and not instrument.requires_training
                    ):
                        # Requests that wait in the manager's queue.
                        request_booking(
                            user, instrument.id, start, end, purpose=DEMO_PURPOSES[slot]
                        )
                    else:
                        request_booking(
                            manager,
                            instrument.id,
                            start,
                            end,
                            purpose=DEMO_PURPOSES[slot],
                            user_id=user.id,
                        )
            except DomainError:
                continue  # a demo slot that breaks this instrument's rules is simply left out
            report.created["bookings"] += 1
