"""Demo instruments that report their own use: agents on three instrument PCs (two interlocks,
one logger; one PC offline), the sessions they reported on bookings (one stayed two hours
longer, one left early), unbooked use billed, dismissed and one waiting for the managers, a
forgotten check-out, and campus cards for the people who book."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from sharing.agents.models import AgentMode, InstrumentAgent
from sharing.agents.registry import register_agent
from sharing.agents.review import confirm_unbooked, dismiss_unbooked
from sharing.agents.sessions import finish, start_session
from sharing.auth.models import Role, User
from sharing.auth.services import get_user_by_email
from sharing.bookings.services import request_booking
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orgs.models import Organisation
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow

# (organisation, instrument, PC, mode, minutes since last heard from)
AGENTS = [
    ("fio", "电感耦合等离子体质谱仪", "ICP-MS 工作站", AgentMode.INTERLOCK, 0),
    ("fio", "傅里叶变换红外光谱仪", "FTIR 采集电脑", AgentMode.LOG, 0),
    ("sdu-qd", "台式扫描电子显微镜", "台式电镜主机", AgentMode.INTERLOCK, 140),
]
# Booked sessions: (instrument, weekday back, booked from, to, booker, at the PC from, to);
# None as the end: still logged in, a forgotten check-out. In order of time per instrument.
BOOKED = [
    ("电感耦合等离子体质谱仪", 3, "16:30", "18:00", "enterprise@biomed.example", "16:35", "17:40"),
    ("电感耦合等离子体质谱仪", 2, "11:30", "13:00", "researcher@sdu.example", "11:32", "14:05"),
    ("电感耦合等离子体质谱仪", 1, "16:30", "17:30", "researcher@qnlm.example", "16:33", None),
    ("傅里叶变换红外光谱仪", 2, "11:30", "12:30", "researcher@fio.example", "11:31", "12:20"),
    ("台式扫描电子显微镜", 4, "16:30", "18:00", "researcher@sdu.example", "16:40", "17:20"),
]
# Use of the logger's instrument without a booking: (weekday back, from, to, who, decision)
UNBOOKED = [
    (3, "18:10", "18:55", "enterprise@marine-eq.example", "confirm", "补录：现场送样测试"),
    (1, "08:10", "08:40", "manager@fio.example", "dismiss", "日常校准"),
    (1, "18:10", "19:25", "researcher@ouc.example", None, ""),
]
CARD_PREFIX = {"sdu-qd": "SDU", "fio": "FIO", "qnlm": "QNLM", "ouc-bv": "OUC"}


def _weekday_back(count: int) -> datetime:
    """Local midnight of the `count`-th weekday before today."""
    zone = platform_zone()
    day = datetime.now(zone).date()
    while count:
        day -= timedelta(days=1)
        count -= day.weekday() < 5
    return datetime.combine(day, time(0), tzinfo=zone)


def _at(day: datetime, clock: str) -> datetime:
    hours, minutes = map(int, clock.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)


def seed_agents(existing: Counter, created: Counter) -> None:
    _seed_cards(created)
    if count := db.session.scalar(select(func.count(InstrumentAgent.id))):
        existing["agents"] += count
        return
    agents = {name: _register(org, name, pc, mode) for org, name, pc, mode, _silent in AGENTS}
    created["agents"] += len(agents)
    for name, back, start, end, booker, came, left in BOOKED:
        agent, manager = agents[name]
        day = _weekday_back(back)
        person = get_user_by_email(booker)
        request_booking(
            manager, agent.instrument_id, _at(day, start), _at(day, end), "例行测试", person.id
        )
        session = start_session(agent, booker, _at(day, came)).session
        if left is not None:
            finish(session, _at(day, left))
        created["agent sessions"] += 1
    _seed_unbooked(*agents["傅里叶变换红外光谱仪"], created)
    now = utcnow()
    for _org, name, _pc, _mode, silent_minutes in AGENTS:
        agents[name][0].last_seen_at = now - timedelta(minutes=silent_minutes)
    db.session.flush()


def _register(org_slug: str, name: str, pc: str, mode: AgentMode):
    """The instrument's agent, registered by a manager of its organisation."""
    instrument = db.session.scalar(
        select(Instrument)
        .join(Organisation)
        .where(Organisation.slug == org_slug, Instrument.name == name)
    )
    manager = db.session.scalar(
        select(User).where(
            User.organisation_id == instrument.organisation_id, User.role == Role.MANAGER
        )
    )
    agent, _token = register_agent(manager, instrument, pc, mode)
    return agent, manager


def _seed_unbooked(agent: InstrumentAgent, manager: User, created: Counter) -> None:
    for back, came, left, who, decision, note in UNBOOKED:
        day = _weekday_back(back)
        session = start_session(agent, who, _at(day, came)).session
        finish(session, _at(day, left))
        if decision == "confirm":
            confirm_unbooked(manager, session, note)
        elif decision == "dismiss":
            dismiss_unbooked(manager, session, note)
        created["agent sessions"] += 1


def _seed_cards(created: Counter) -> None:
    """Campus cards of the researchers of universities and institutes that issue them."""
    people = db.session.scalars(
        select(User)
        .join(Organisation)
        .where(
            User.role == Role.RESEARCHER,
            User.card_number.is_(None),
            Organisation.slug.in_(list(CARD_PREFIX)),
        )
        .order_by(User.id)
    ).all()
    for person in people:
        person.card_number = f"{CARD_PREFIX[person.organisation.slug]}2024{person.id:04d}"
        created["campus cards"] += 1
    db.session.flush()
