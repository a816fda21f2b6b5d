"""Demo loans of sea-going gear: the district's ROV, AUV, multibeam, CTD, ADCP, buoy and
side-scan sonar become day instruments with believable day rates (the ROV with its pilots
¥60,000-90,000 a day, a CTD ¥1,500-3,000), their components with serial numbers and their
operators; and cruise-support loans (ROV + pilot + CTD from two owners, and others) in every
state, made through the real services at the dates they happened."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.auth.services import create_user, get_user_by_email
from sharing.core.errors import Conflict, RuleViolation
from sharing.extensions import db
from sharing.instruments.models import Instrument, InstrumentStatus, Rate
from sharing.instruments.rules import BookingUnit, CustomerCategory, RateUnit
from sharing.loans import services
from sharing.loans.lifecycle import Delivery, Outcome
from sharing.loans.models import Component, Loan, Operator
from sharing.orgs.models import Organisation
from sharing.util.formatting import local_today, platform_zone
from sharing.util.timeutil import utcnow

# (owner, name, academic/internal/enterprise day rates, mobilisation, deposit, insurance,
#  min, max, turnaround days, components (name, serial, required))
GEAR = [
    ("ndsc", "4500 米级遥控无人潜水器", (75000, 60000, 90000), 30000, 200000, True, 2, 45, 2,
     [("脐带缆 4800 m", "UMB-4800-02", True), ("七功能机械手（左）", "MAN-L-3317", True),
      ("七功能机械手（右）", "MAN-R-3318", True), ("4K 摄像机", "CAM-4K-0921", True),
      ("取样篮", "BSK-0457", False)]),
    ("ndsc", "自主水下航行器", (28000, 22000, 35000), 15000, 100000, True, 2, 30, 2,
     [("锂电池组 A", "BAT-LA-1102", True), ("侧扫声呐换能器", "SSS-T-0215", True),
      ("USBL 信标", "USBL-7741", True)]),
    ("ndsc", "全海深多波束测深系统", (18000, 15000, 24000), 8000, 50000, True, 1, 60, 1,
     [("发射换能器阵", "TX-ARR-0033", True), ("接收换能器阵", "RX-ARR-0034", True),
      ("声速剖面仪", "SVP-2290", True)]),
    ("fio", "温盐深剖面仪", (2500, 1500, 3000), 1000, 10000, False, 1, 30, 1,
     [("CTD 主机", "SBE911-0786", True), ("24 瓶采水器", "SBE32-1542", True),
      ("甲板单元", "SBE11-0431", True), ("溶解氧传感器", "SBE43-2217", False)]),
    ("fio", "声学多普勒流速剖面仪", (1200, 900, 1600), 500, 5000, False, 1, 90, 1,
     [("换能器头", "WHS300-8824", True), ("电池仓", "BAT-WH-551", True)]),
    ("fio", "侧扫声呐系统", (2000, 1500, 2800), 800, 8000, False, 1, 30, 1,
     [("拖鱼", "TOW-4125", True), ("铠装拖缆 300 m", "CBL-300-17", True)]),
    ("qnlm", "海洋浮标观测系统", (3000, 2500, 4000), 6000, 20000, True, 7, 120, 3,
     [("浮标体", "BV10-0012", True), ("气象传感器组", "MET-0588", True),
      ("锚系 200 m", "MOOR-200-04", True), ("北斗通信终端", "BD-4471", True)]),
]  # fmt: skip
# Staff who go with the gear: (e-mail, name, owner, instrument, day rate)
OPERATORS = [
    ("pilot1@ndsc.example", "钱峰（ROV 主驾驶）", "ndsc", "4500 米级遥控无人潜水器", 6000),
    ("pilot2@ndsc.example", "韩冬（ROV 副驾驶）", "ndsc", "4500 米级遥控无人潜水器", 4500),
    ("pilot2@ndsc.example", "韩冬（ROV 副驾驶）", "ndsc", "自主水下航行器", 4000),
    ("tech@fio.example", "许航（CTD 技术员）", "fio", "温盐深剖面仪", 1200),
]
ROV, AUV, MULTIBEAM, CTD, ADCP, SONAR, BUOY = (row[1] for row in GEAR)
SITES = ["“科学”号 南海冷泉区", "“东方红3”号 西太平洋", "青岛港 大港码头", "黄海冷水团 35°N 123°E"]


def _instrument(slug: str, name: str) -> Instrument:
    return db.session.scalar(
        select(Instrument)
        .join(Organisation)
        .where(Organisation.slug == slug, Instrument.name == name)
    )


def _day_rates(rates: tuple[int, int, int]) -> list[Rate]:
    academic, internal, enterprise = rates
    return [
        Rate(category=CustomerCategory.ACADEMIC, unit=RateUnit.DAY, price=Decimal(academic)),
        Rate(category=CustomerCategory.INTERNAL, unit=RateUnit.DAY, price=Decimal(internal)),
        Rate(category=CustomerCategory.ENTERPRISE, unit=RateUnit.DAY, price=Decimal(enterprise)),
    ]


def _lend_by_the_day() -> dict[str, Instrument]:
    gear = {}
    for slug, name, rates, mobilisation, deposit, insured, least, most, turnaround, parts in GEAR:
        instrument = _instrument(slug, name)
        instrument.booking_unit = BookingUnit.DAY
        instrument.status = InstrumentStatus.AVAILABLE
        instrument.requires_training = False  # pilots and technicians go with it
        instrument.rates.clear()
        db.session.flush()
        instrument.rates.extend(_day_rates(rates))
        instrument.mobilisation_fee = Decimal(mobilisation)
        instrument.deposit = Decimal(deposit)
        instrument.replacement_value = instrument.original_value
        instrument.insurance_required = insured
        instrument.min_days, instrument.max_days = least, most
        instrument.loan_turnaround_days = turnaround
        instrument.horizon_days = 365
        db.session.add_all(
            Component(instrument_id=instrument.id, name=part, serial=serial, required=required)
            for part, serial, required in parts
        )
        gear[name] = instrument
    db.session.flush()
    return gear


def _operators(gear: dict, created: Counter) -> dict[str, Operator]:
    found = {}
    for email, name, slug, instrument_name, rate in OPERATORS:
        person = get_user_by_email(email)
        if person is None:
            organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
            from sharing.demo.data import DEMO_PASSWORD

            person = create_user(email, name, DEMO_PASSWORD, "researcher", organisation)
            created["users"] += 1
        operator = Operator(
            instrument_id=gear[instrument_name].id, user_id=person.id, day_rate=Decimal(rate)
        )
        db.session.add(operator)
        found.setdefault(instrument_name, operator)
    db.session.flush()
    return found


def _manager(instrument: Instrument) -> User:
    from sharing.auth.models import Role

    return db.session.scalar(
        select(User).where(
            User.organisation_id == instrument.organisation_id, User.role == Role.MANAGER
        )
    )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), platform_zone())


class _Story:
    """One loan told from its request to the state it stands in today."""

    def __init__(self, gear, operators, borrower: str, names, first: int, days: int, site: str):
        self.gear, self.operators = gear, operators
        self.borrower = get_user_by_email(borrower)
        self.names = names
        today = local_today()
        self.first = today + timedelta(days=first)
        self.last = self.first + timedelta(days=days - 1)
        self.asked = utcnow() - timedelta(days=max(0, -first) + 10)
        self.site = site

    def request(self) -> Loan | None:
        body = services.LoanRequest(
            items=tuple(
                services.WantedItem(self.gear[n].id, n in self.operators) for n in self.names
            ),
            start_date=self.first,
            end_date=self.last,
            purpose="航次保障：冷泉区近底观测与取样" if ROV in self.names else "近海环境调查",
            site=self.site,
            delivery=Delivery.WITH_CRUISE if ROV in self.names else Delivery.COURIER,
        )
        try:
            with db.session.begin_nested():
                return services.request_loan(self.borrower, body, now=self.asked)
        except (Conflict, RuleViolation):
            return None  # the demo's own bookings hold those days: this story is not told

    def approve(self, loan: Loan) -> None:
        for item in loan.items:
            operator = self.operators.get(item.instrument.name) if item.with_operator else None
            services.approve_item(
                _manager(item.instrument),
                loan,
                item.instrument_id,
                operator.id if operator else None,
            )

    def hand_over(self, loan: Loan) -> None:
        if any(item.insurance_required for item in loan.items):
            services.set_insurance(self.borrower, loan, f"PICC-HY-{loan.id:05d}")
        for item in loan.items:
            manager = _manager(item.instrument)
            if item.deposit > 0:
                services.record_deposit(
                    manager,
                    loan,
                    item.instrument_id,
                    item.deposit,
                    self.first - timedelta(days=3),
                    f"BOC-{loan.id}-{item.instrument_id}",
                )
            lines = [
                services.CheckLine(c.id, True) for c in services.list_components(item.instrument)
            ]
            services.dispatch_item(
                manager,
                loan,
                item.instrument_id,
                lines,
                f"SF{7310000 + loan.id * 10 + item.instrument_id}",
                _at(self.first - timedelta(days=1), 9),
            )

    def bring_back(self, loan: Loan, late_days: int = 0, worn: str | None = None) -> None:
        for item in loan.items:
            lines = []
            for component in services.list_components(item.instrument):
                condition = "damaged" if worn and component.name == worn else "ok"
                note = "外护套磨损 1.2 m，需更换" if condition == "damaged" else ""
                lines.append(services.CheckLine(component.id, True, condition, note))
            services.return_item(
                _manager(item.instrument),
                loan,
                item.instrument_id,
                lines,
                _at(self.last + timedelta(days=late_days), 16),
            )

    def inspect(self, loan: Loan, damaged: str | None = None, damage: int = 0) -> None:
        for item in loan.items:
            if item.instrument.name == damaged:
                services.inspect_item(
                    _manager(item.instrument),
                    loan,
                    item.instrument_id,
                    Outcome.DAMAGED,
                    Decimal(damage),
                    "脐带缆外护套磨损，已更换并送检",
                )
            else:
                services.inspect_item(
                    _manager(item.instrument),
                    loan,
                    item.instrument_id,
                    Outcome.OK,
                    Decimal(0),
                    "检查正常，已完成再标定",
                )


def seed_loans(existing: Counter, created: Counter) -> None:
    """Day instruments, their kits and operators, and loans in every state (once)."""
    if count := db.session.scalar(select(func.count(Loan.id))):
        existing["loans"] += count
        return
    gear = _lend_by_the_day()
    operators = _operators(gear, created)
    qnlm, ouc, sdu, company = (
        "researcher@qnlm.example",
        "researcher@ouc.example",
        "researcher@sdu.example",
        "enterprise@marine-eq.example",
    )
    cruise = [ROV, CTD]
    stories = [
        # (borrower, gear, first day from today, days, site, how far it got)
        (qnlm, cruise, -75, 9, SITES[0], "closed_damaged"),
        (ouc, [AUV, ADCP], -60, 6, SITES[3], "closed"),
        (sdu, cruise, -40, 7, SITES[1], "returned"),
        (company, [SONAR], -30, 5, SITES[2], "closed"),
        (qnlm, [AUV, MULTIBEAM, ADCP], -4, 10, SITES[1], "on_loan"),
        (ouc, [BUOY, SONAR], -20, 12, SITES[3], "overdue"),
        (sdu, cruise, 12, 8, SITES[0], "approved"),
        (company, [ROV], 25, 3, SITES[2], "declined"),
        (ouc, [CTD, ADCP], 30, 5, SITES[3], "cancelled"),
        (qnlm, cruise, 40, 10, SITES[0], "requested"),
        (sdu, [BUOY], 3, 14, SITES[3], "requested"),  # after the overdue buoy: at risk
    ]
    for borrower, names, first, days, site, state in stories:
        story = _Story(gear, operators, borrower, names, first, days, site)
        loan = story.request()
        if loan is None:
            continue
        created["loans"] += 1
        if state == "declined":
            item = loan.items[0]
            services.decline_item(
                _manager(item.instrument), loan, item.instrument_id, "该时段潜器进坞维护"
            )
            continue
        if state == "cancelled":
            services.cancel_loan(story.borrower, loan, "航次推迟")
            continue
        if state == "requested":
            continue
        story.approve(loan)
        if state == "approved":
            continue
        story.hand_over(loan)
        if state in ("on_loan", "overdue"):
            continue
        story.bring_back(
            loan,
            late_days=1 if state == "closed_damaged" else 0,
            worn="脐带缆 4800 m" if state == "closed_damaged" else None,
        )
        if state == "returned":
            continue
        story.inspect(loan, damaged=ROV if state == "closed_damaged" else None, damage=180000)
    services.sweep_overdue(utcnow())
    db.session.flush()
