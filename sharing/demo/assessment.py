"""Demo evidence for the yearly assessment: the national register's fields on every large
instrument, a year of used sessions and their ratings, faults and calibrations, and the
achievements the district reports (98 invention patents this year against 23 the year before,
+326 %; 56 major research tasks against 34), each a record a person could have entered."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select

from sharing.assessment.models import (
    Achievement,
    AchievementKind,
    AchievementStatus,
    Incident,
    IncidentKind,
    IncidentStatus,
    Rating,
)
from sharing.auth.models import User
from sharing.auth.services import get_user_by_email
from sharing.demo.data import BOOKER_EMAILS, USERS
from sharing.demo.year_of_use import KINDS, write_years_of_use
from sharing.extensions import db
from sharing.instruments.models import LARGE_INSTRUMENT_VALUE, Instrument
from sharing.instruments.register import InstrumentSource, ShareMode
from sharing.orgs.models import Organisation, OrgKind
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow

# The national classification's codes for the demo's kinds of instrument (class, subclass, group).
CATEGORY_CODES = {
    "electron-microscopy": "030101",
    "mass-spectrometry": "030201",
    "chromatography": "030301",
    "spectroscopy": "030401",
    "x-ray": "030501",
    "nmr": "030601",
    "sequencing": "031101",
    "ocean-observation": "040301",
    "underwater-vehicles": "040401",
    "acoustic-survey": "040501",
    "research-vessels": "040601",
    "environmental-testing": "050301",
    "materials-testing": "050101",
    "other": "090101",
}
MAKER_COUNTRIES = {
    "Agilent": "US",
    "Bruker": "DE",
    "Carl Zeiss": "DE",
    "ESPEC": "JP",
    "EdgeTech": "US",
    "HORIBA": "JP",
    "Illumina": "US",
    "Instron": "US",
    "KLA": "US",
    "Kongsberg": "NO",
    "MTS": "US",
    "Oxford Nanopore": "GB",
    "PerkinElmer": "US",
    "Q-Lab": "US",
    "SDL Atlas": "GB",
    "Sea-Bird Scientific": "US",
    "Teledyne RD Instruments": "US",
    "Thermo Fisher Scientific": "US",
    "Waters": "US",
    "Waygate Technologies": "DE",
    "Weiss Technik": "DE",
}
# Made by Chinese institutes for their own work: built in-house, not bought.
SELF_MADE_MAKERS = {"中国科学院沈阳自动化研究所", "哈尔滨工程大学", "国家深海基地", "天津大学"}

# This year's and last year's confirmed records, as the district reports them.
INVENTION_PATENTS = {0: 98, -1: 23}
MAJOR_TASKS = {0: 56, -1: 34}
PAPERS = {0: 64, -1: 51}
CLAIMED_WAITING = 6  # papers and patents this year that the managers have yet to confirm

PATENT_SUBJECTS = [
    "深海沉积物孔隙水",
    "海洋微塑料",
    "海水中痕量重金属",
    "船用钢焊接接头",
    "海洋防腐涂层",
    "海藻多糖",
    "海洋石油烃污染",
    "深海热液硫化物",
    "海洋生物活性肽",
    "水下航行器耐压壳体",
    "海洋声学浮标",
    "近岸沉积物有机碳",
]
PATENT_METHODS = [
    "原位检测方法",
    "快速预处理装置",
    "高分辨表征方法",
    "定量分析方法及系统",
    "无损评价方法",
    "在线监测装置",
    "分离纯化工艺",
    "图像识别方法",
]
TASK_PROGRAMMES = [
    ("国家重点研发计划“深海和极地关键技术与装备”重点专项课题", "YFC28"),
    ("国家重点研发计划“海洋环境安全保障与岛礁可持续发展”重点专项课题", "YFC31"),
    ("国家自然科学基金重点项目", "NSFC42"),
    ("山东省重大科技创新工程项目", "CXGC01"),
    ("青岛海洋科学与技术试点国家实验室“问海计划”项目", "QNLM20"),
]
TASK_TOPICS = [
    "万米级深渊原位探测与取样",
    "近海生态灾害预警",
    "海洋碳汇过程与机制",
    "深海矿产资源勘查装备",
    "海洋新材料服役评价",
    "海洋生物医用材料",
    "海底观测网关键技术",
    "海洋药物先导化合物发现",
]
PAPER_TOPICS = [
    "南黄海冷水团溶解氧的季节变化",
    "胶州湾沉积物中微塑料的分布与来源",
    "深海热液区微生物群落的原位观测",
    "海洋防腐涂层在飞溅区的失效机理",
    "海藻酸钠基敷料的体外评价",
    "南海北部内孤立波的声学观测",
    "海水中痕量铀的富集与测定",
    "深海耐压壳体焊缝的疲劳行为",
]


def seed_assessment(existing: Counter, created: Counter, managers: dict[str, User]) -> None:
    """Everything below is skipped where it exists already, so a second run changes nothing."""
    rng = random.Random(20261130)
    instruments = list(
        db.session.scalars(
            select(Instrument)
            .where(Instrument.original_value >= LARGE_INSTRUMENT_VALUE)
            .order_by(Instrument.id)
        )
    )
    _register_fields(instruments)
    if rated := db.session.scalar(select(func.count(Rating.id))):
        existing["ratings"] += rated
    else:
        # Its own draws: the achievements below come out the same whatever the date.
        created.update(write_years_of_use(random.Random(20261207), instruments))
    if logged := db.session.scalar(select(func.count(Incident.id))):
        existing["incidents"] += logged
    else:
        created["incidents"] += _faults_and_upkeep(rng, instruments, managers)
    if recorded := db.session.scalar(select(func.count(Achievement.id))):
        existing["achievements"] += recorded
    else:
        created["achievements"] += _achievements(rng, instruments, managers)


def _admin() -> User:
    return get_user_by_email(USERS[0][0])


def _register_fields(instruments: list[Instrument]) -> None:
    for number, instrument in enumerate(instruments):
        if instrument.national_code:
            continue
        instrument.national_code = CATEGORY_CODES[instrument.category.slug]
        maker = instrument.manufacturer
        if maker in SELF_MADE_MAKERS:
            instrument.source, instrument.country_of_origin = InstrumentSource.SELF_MADE, "CN"
        else:
            instrument.source = InstrumentSource.PURCHASED
            instrument.country_of_origin = MAKER_COUNTRIES.get(maker, "CN")
        # Two of every fifteen serve their own institute first (e.g. a ship's survey gear).
        instrument.share_mode = ShareMode.INTERNAL if number % 15 in (7, 11) else ShareMode.OPEN
        year = instrument.year_commissioned or 2018
        instrument.purchased_on = date(year - 1, 3 + number % 9, 1 + number * 7 % 27)


def _faults_and_upkeep(rng, instruments, managers) -> int:
    """A calibration a year ago on each (one falls due within two weeks), maintenance on
    every third, three faults still open and two fixed."""
    zone = platform_zone()
    now = utcnow()
    today = now.astimezone(zone).date()
    reporters = [get_user_by_email(email) for email in BOOKER_EMAILS]
    added = 0
    for number, instrument in enumerate(instruments):
        manager = managers.get(instrument.organisation.slug) or _admin()
        kind = KINDS.get(instrument.category.slug)
        calibrated = now - timedelta(days=300 + number * 3)
        due = today + timedelta(days=10 if number == 2 else 40 + number * 5)
        records = [
            Incident(
                instrument_id=instrument.id,
                kind=IncidentKind.CALIBRATION,
                description=kind["calibration"] if kind else "年度检验，证书已归档",
                reported_by_id=manager.id,
                created_at=calibrated,
                next_due_on=due,
                status=IncidentStatus.RESOLVED,
                resolved_by_id=manager.id,
                resolved_at=calibrated,
            )
        ]
        if number % 3 == 0 and kind:
            serviced = now - timedelta(days=60 + number)
            records.append(
                Incident(
                    instrument_id=instrument.id,
                    kind=IncidentKind.MAINTENANCE,
                    description=kind["upkeep"],
                    reported_by_id=manager.id,
                    created_at=serviced,
                    status=IncidentStatus.RESOLVED,
                    resolved_by_id=manager.id,
                    resolved_at=serviced,
                )
            )
        db.session.add_all(records)
        added += len(records)
    # Each instrument's fault is one its kind has (a buoy's modem, not an electron gun).
    faults = [
        (0, IncidentKind.FAULT, 0, True),
        (5, IncidentKind.FAULT, 0, True),
        (9, IncidentKind.SAFETY, None, True),
        (12, IncidentKind.FAULT, 1, False),
        (20, IncidentKind.FAULT, 1, False),
    ]
    for index, kind, which, still_open in faults:
        instrument = instruments[index % len(instruments)]
        texts = KINDS.get(instrument.category.slug, {}).get("faults", ["设备自检报错"])
        text = "压缩气瓶固定链松脱" if which is None else texts[which % len(texts)]
        manager = managers.get(instrument.organisation.slug)
        reported = now - timedelta(days=2 + index)
        db.session.add(
            Incident(
                instrument_id=instrument.id,
                kind=kind,
                description=text,
                reported_by_id=reporters[index % len(reporters)].id,
                created_at=reported,
                status=IncidentStatus.OPEN if still_open else IncidentStatus.RESOLVED,
                resolution="" if still_open else "已排查处理，恢复正常使用",
                resolved_by_id=None if still_open or manager is None else manager.id,
                resolved_at=None if still_open else reported + timedelta(days=1),
            )
        )
        added += 1
    db.session.flush()
    return added


def _achievements(rng, instruments, managers) -> int:
    """Confirmed invention patents, major tasks and papers of this year and the last, and a
    few claims waiting for a manager."""
    academic = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_((OrgKind.INSTITUTE, OrgKind.UNIVERSITY)))
            .order_by(Organisation.id)
        )
    )
    authors = {
        org.id: db.session.scalars(
            select(User).where(User.organisation_id == org.id).order_by(User.id)
        ).first()
        for org in academic
    }
    academic = [org for org in academic if authors[org.id] is not None]
    this_year = utcnow().astimezone(platform_zone()).year
    made = 0
    serial = 0

    def add(kind, title, year, reference, status, invention=False):
        nonlocal made, serial
        serial += 1
        organisation = academic[serial % len(academic)]
        used = rng.sample(instruments, k=1 + serial % 2)
        decider = managers.get(used[0].organisation.slug)
        decided = status != AchievementStatus.CLAIMED and decider is not None
        db.session.add(
            Achievement(
                kind=kind,
                title=title,
                year=year,
                reference=reference,
                invention=invention,
                organisation_id=organisation.id,
                added_by_id=authors[organisation.id].id,
                status=status,
                decided_by_id=decider.id if decided else None,
                decided_at=utcnow() if decided else None,
                instruments=used,
            )
        )
        made += 1

    for offset, count in INVENTION_PATENTS.items():
        for number in range(count):
            subject = PATENT_SUBJECTS[number % len(PATENT_SUBJECTS)]
            method = PATENT_METHODS[(number // len(PATENT_SUBJECTS)) % len(PATENT_METHODS)]
            year = this_year + offset
            add(
                AchievementKind.PATENT,
                f"一种{subject}的{method}",
                year,
                f"CN{117 + (year - 2025)}{rng.randrange(100000, 999999)}A",
                AchievementStatus.CONFIRMED,
                invention=True,
            )
    for offset, count in MAJOR_TASKS.items():
        for number in range(count):
            programme, code = TASK_PROGRAMMES[number % len(TASK_PROGRAMMES)]
            topic = TASK_TOPICS[(number * 3) % len(TASK_TOPICS)]
            year = this_year + offset
            add(
                AchievementKind.MAJOR_TASK,
                f"{programme}：{topic}",
                year,
                f"{year}{code}{number + 1:03d}",
                AchievementStatus.CONFIRMED,
            )
    for offset, count in PAPERS.items():
        for number in range(count):
            year = this_year + offset
            add(
                AchievementKind.PAPER,
                PAPER_TOPICS[number % len(PAPER_TOPICS)] + ("研究" if number % 2 else ""),
                year,
                f"10.1016/j.marpolbul.{year}.{117000 + number}",
                AchievementStatus.CONFIRMED,
            )
    for number in range(CLAIMED_WAITING):
        add(
            AchievementKind.PAPER if number % 2 else AchievementKind.PATENT,
            PAPER_TOPICS[(number + 3) % len(PAPER_TOPICS)] + "的新进展",
            this_year,
            f"10.1038/s41598-{this_year}-{80000 + number}",
            AchievementStatus.CLAIMED,
        )
    db.session.flush()
    return made
