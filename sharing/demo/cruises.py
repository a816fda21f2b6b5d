"""Demo ship time: three of the district's research vessels with believable capacity and day
rates, and cruises in every state — a completed one (back two days late, its ship time charged,
its report filed, one party's data delivered under embargo, one party's data overdue), one at
sea, one allocated that leaves next month, an open call with applications, one in planning and
one cancelled for a typhoon."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from sharing.auth.models import User
from sharing.auth.services import get_user_by_email
from sharing.cruises import applications as joining
from sharing.cruises import completion, duties, services
from sharing.cruises.lifecycle import ShareBy
from sharing.cruises.models import Cruise
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.instruments.rules import BookingUnit
from sharing.instruments.services import create_instrument
from sharing.util.formatting import local_today

# (organisation, name, name_en, model, value, year, capacity, day rate)
VESSELS = [
    (
        "fio",
        "向阳红 01 科学考察船",
        "R/V Xiangyanghong 01",
        "4980 吨级全球级综合科考船",
        "520000000.00",
        2016,
        {
            "berths": 36,
            "deck_m2": 420,
            "lab_m2": 260,
            "home_port": "青岛",
            "length_m": "99.8",
            "endurance_days": 60,
        },
        "180000.00",
    ),
    (
        "ouc-bv",
        "东方红 3 科学考察船",
        "R/V Dongfanghong 3",
        "5000 吨级静音科考船",
        "590000000.00",
        2019,
        {
            "berths": 50,
            "deck_m2": 600,
            "lab_m2": 400,
            "home_port": "青岛",
            "length_m": "103.8",
            "endurance_days": 60,
        },
        "230000.00",
    ),
    (
        "qnlm",
        "蓝谷一号 近海科考船",
        "R/V Blue Valley 1 (coastal)",
        "500 吨级近海调查船",
        "68000000.00",
        2021,
        {
            "berths": 12,
            "deck_m2": 90,
            "lab_m2": 45,
            "home_port": "青岛鳌山湾",
            "length_m": "45.6",
            "endurance_days": 15,
        },
        "48000.00",
    ),
]

# Applications: (applicant, project, berths, deck, lab, station hours)
SDU = ("researcher@sdu.example", "黄海冷水团碳酸盐体系与酸化", 6, 20, 12, 36)
QNLM = ("researcher@qnlm.example", "南黄海浮游植物群落与叶绿素遥感验证", 4, 10, 8, 24)
FIRM = ("enterprise@marine-eq.example", "国产温盐深剖面仪海上比测", 2, 30, 0, 12)
OUC = ("researcher@ouc.example", "陆架沉积物重金属来源解析", 5, 15, 10, 30)
FIO = ("researcher@fio.example", "黄海暖流入侵路径的锚系观测", 6, 40, 10, 48)

# (vessel, name, departs in days from today, days at sea - 1, mobilisation, chief, share_by,
#  ports, area, applications, end state)
CRUISES = [
    (
        0,
        "2026 年黄海冷水团秋季共享航次",
        -118,
        13,
        2,
        "researcher@fio.example",
        ShareBy.BERTHS,
        ("青岛", "青岛"),
        "南黄海中部冷水团区",
        [SDU, QNLM, FIRM, OUC],
        "completed",
    ),
    (
        1,
        "2026 年东海陆架冬季综合共享航次",
        -6,
        16,
        2,
        "researcher@ouc.example",
        ShareBy.BERTHS,
        ("青岛", "舟山"),
        "东海陆架及长江口外",
        [OUC, SDU, FIO],
        "at_sea",
    ),
    (
        0,
        "2027 年黄海暖流观测共享航次",
        35,
        11,
        2,
        "researcher@fio.example",
        ShareBy.BERTHS,
        ("青岛", "青岛"),
        "黄海槽",
        [FIO, SDU, FIRM],
        "allocated",
    ),
    (
        2,
        "鳌山湾近海生态春季调查航次",
        50,
        4,
        1,
        "researcher@qnlm.example",
        ShareBy.EQUAL,
        ("青岛鳌山湾", "青岛鳌山湾"),
        "鳌山湾及崂山湾近岸",
        [OUC, FIRM],
        "open",
    ),
    (
        1,
        "2027 年西太平洋暖池夏季共享航次",
        150,
        29,
        3,
        "researcher@ouc.example",
        ShareBy.BERTHS,
        ("青岛", "三亚"),
        "西太平洋暖池区",
        [],
        "planning",
    ),
    (
        2,
        "胶州湾秋季水质调查航次",
        -40,
        2,
        1,
        "researcher@qnlm.example",
        ShareBy.EQUAL,
        ("青岛", "青岛"),
        "胶州湾",
        [SDU],
        "cancelled",
    ),
]
# The completed cruise came back two days late (weather).
LATE_DAYS = 2


def _vessels(admin: User, existing: Counter, created: Counter) -> list[Instrument]:
    found = []
    for org_slug, name, name_en, model, value, year, capacity, _rate in VESSELS:
        vessel = db.session.scalar(select(Instrument).where(Instrument.name == name))
        if vessel is not None:
            existing["vessels"] += 1
            found.append(vessel)
            continue
        vessel = create_instrument(
            admin,
            {
                "organisation": org_slug,
                "category": "research-vessels",
                "name": name,
                "name_en": name_en,
                "model": model,
                "manufacturer": "中国船舶集团",
                "original_value": Decimal(value),
                "year_commissioned": year,
                "location": f"{capacity['home_port']}母港",
                "specifications": (
                    f"船长 {capacity['length_m']} m；科考人员铺位 {capacity['berths']} 个；"
                    f"甲板作业面积 {capacity['deck_m2']} m²；实验室 {capacity['lab_m2']} m²；"
                    f"自持力 {capacity['endurance_days']} 天"
                ),
                "rules": {"open_hours": []},
                "rates": [],
                "national_code": "040601",
                "source": "purchased",
                "country_of_origin": "CN",
            },
        )
        vessel.booking_unit = BookingUnit.DAY
        services.set_vessel(admin, vessel, {**capacity, "length_m": Decimal(capacity["length_m"])})
        created["vessels"] += 1
        found.append(vessel)
    return found


def _manager_of(vessel: Instrument) -> User:
    return db.session.scalar(
        select(User)
        .where(User.organisation_id == vessel.organisation_id, User.role == "manager")
        .order_by(User.id)
    )


def _run(cruise: Cruise, manager: User, asks, end_state: str, apply_on: date) -> None:
    applied = []
    if end_state != "planning":
        services.open_cruise(manager, cruise)
        for email, project, berths, deck, lab, hours in asks:
            ask = joining.Ask(
                project, berths, deck, lab, hours, [], "站位作业与样品采集", "数据汇交至共享平台"
            )
            applied.append(
                joining.apply_to_cruise(get_user_by_email(email), cruise, ask, today=apply_on)
            )
    if end_state in ("allocated", "at_sea", "completed"):
        placed = applied[:3]  # the fourth group is told there is no room this time
        chief = cruise.chief_scientist
        joining.allocate(chief, cruise, [joining.Allocation(a.id) for a in placed])
    if end_state in ("at_sea", "completed"):
        services.depart(manager, cruise)
    if end_state == "cancelled":
        services.cancel_cruise(manager, cruise, "台风“海葵”过境，航次取消")
    if end_state == "completed":
        back = cruise.returns_on + timedelta(days=LATE_DAYS)
        completion.complete_cruise(manager, cruise, back)
        duties.file_report(
            cruise.chief_scientist, cruise, "完成 CTD 站位 42 个、锚系回收 2 套。", 42,
            today=back + timedelta(days=5),
        )  # fmt: skip
        sdu, _qnlm, firm = applied[:3]
        duties.deliver_data(
            sdu.applicant, sdu, "CTD 剖面与碳酸盐体系数据", "https://data.example.org/yh01-2026",
            None, today=back + timedelta(days=40),
        )  # fmt: skip
        duties.deliver_data(
            firm.applicant, firm, "温盐深剖面仪比测数据", "", back + timedelta(days=500),
            today=back + timedelta(days=30),
        )  # fmt: skip
        # The pilot laboratory's group has not delivered: its data are overdue.


def seed_cruises(existing: Counter, created: Counter) -> None:
    """Vessels and cruises in every state, once."""
    admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id))
    vessels = _vessels(admin, existing, created)
    db.session.flush()
    today = local_today()
    for index, name, offset, span, mob, chief, share_by, ports, area, asks, state in CRUISES:
        if db.session.scalar(select(Cruise.id).where(Cruise.name == name)):
            existing["cruises"] += 1
            continue
        vessel = vessels[index]
        manager = _manager_of(vessel)
        departs = today + timedelta(days=offset)
        if state == "allocated":  # leaves next month, whatever day of this month today is
            departs = (today.replace(day=1) + timedelta(days=32)).replace(day=10)
        plan = services.CruisePlan(
            vessel_id=vessel.id,
            name=name,
            departs_on=departs,
            returns_on=departs + timedelta(days=span),
            mobilisation_days=mob,
            port_from=ports[0],
            port_to=ports[1],
            area=area,
            chief_scientist_id=get_user_by_email(chief).id,
            apply_by=departs - timedelta(days=21),
            day_rate=Decimal(VESSELS[index][7]),
            share_by=share_by,
        )
        cruise = services.publish_cruise(manager, plan)
        _run(cruise, manager, asks, state, min(today, plan.apply_by))
        created["cruises"] += 1
    db.session.flush()
