"""Demo records of the needs pipeline, dated within this year (so far) and the same dates of last
year, so that the impact page shows the district's published figures: 189 companies visited,
234 needs, 56 claimed, 192 results transferred for ¥250 million, an alliance of 63."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from sharing.auth.models import Role, User
from sharing.auth.services import create_user, get_user_by_email
from sharing.demo.data import DEMO_PASSWORD, USERS
from sharing.demo.pipeline_data import (
    ALLIANCE_BEFORE,
    ANSWERERS,
    BRANDS,
    CLOSE_REASONS,
    EXPERTS,
    FIELDS_OF_WORK,
    INDUSTRIES,
    LAST_YEAR,
    MEETING_NOTES,
    NEED_DETAILS,
    NEED_PROBLEMS,
    NEED_SUBJECTS,
    SERVICE_BODIES,
    THIS_YEAR,
    TRANSFER_KINDS,
    TRANSFER_SUBJECTS,
    VISIT_NOTES,
)
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.needs.impact import Window
from sharing.needs.models import (
    Expert,
    Meeting,
    Need,
    NeedEvent,
    NeedStatus,
    Transfer,
    TransferKind,
    Visit,
)
from sharing.orgs.models import AllianceKind, Organisation, OrgKind
from sharing.util.formatting import local_today, platform_zone

STAFF_EMAIL = "staff@bluevalley.example"
OWN_NEED_COMPANIES = {
    "bv-marine-eq": "marine-equipment",
    "bv-biomed": "marine-biomedicine",
    "jimo-auto": "new-materials",
    "jimo-textile": "new-materials",
}
INDUSTRY_NAMES = {field: name for field, name, _en, _part in INDUSTRIES}
PART_FIELDS = {part: field for field, _name, _en, part in INDUSTRIES}
KIND_WORDS = {
    "patent_transfer": "专利转让",
    "licence": "专利许可",
    "joint_development": "联合开发",
    "technical_service": "技术服务",
}


def seed_pipeline(existing: Counter, created: Counter, today: date | None = None) -> None:
    """Everything is skipped where it exists already, so a second run changes nothing. The
    same district on any `today` (default: the platform's), only its dates move."""
    rng = random.Random(20261202)
    today = today or local_today()
    companies = _companies(created)
    _fields_of_work()
    # The alliance draws from its own generator: the needs' draws do not hang on whether it
    # was seeded before.
    _alliance(random.Random(20261203), companies, today)
    if visits := db.session.scalar(select(func.count(Visit.id))):
        existing["visits"] += visits
        return
    staff = _staff()
    this_year = Window(today.replace(month=1, day=1), today)
    managers = _managers()
    titles = _titles(rng)
    for window, plan in ((this_year.year_earlier(), LAST_YEAR), (this_year, THIS_YEAR)):
        visited = _visits(rng, window, plan, companies, staff)
        needs = _needs(rng, window, plan, visited, staff, titles)
        _stages(rng, window, plan, needs, managers)
        _transfers(rng, window, plan, needs, companies, staff)
        created["visits"] += len(visited)
        created["needs"] += len(needs)
    created["experts"] += _experts()
    _instruments_joined(today)
    db.session.flush()


def _companies(created: Counter) -> list[Organisation]:
    """The district's firms of five industries, and the service bodies of the alliance."""
    known = set(db.session.scalars(select(Organisation.slug)))
    count = THIS_YEAR["companies_visited"] + 7
    wanted = []
    for number in range(count):
        brand, pinyin = BRANDS[number % len(BRANDS)]
        field, industry, industry_en, part = INDUSTRIES[number // len(BRANDS)]
        wanted.append(
            (
                f"{pinyin}-{part}",
                f"青岛{brand}{industry}有限公司",
                f"Qingdao {pinyin.rstrip('0123456789').title()} {industry_en} Co., Ltd.",
                field,
            )
        )
    for slug, name, name_en, field in wanted:
        if slug not in known:
            db.session.add(
                Organisation(
                    slug=slug,
                    name=name,
                    name_en=name_en,
                    kind=OrgKind.ENTERPRISE,
                    description=f"从事{INDUSTRY_NAMES[field]}研发与生产的蓝谷科技型企业",
                    address="青岛市即墨区蓝谷",
                )
            )
            created["organisations"] += 1
    for slug, name, name_en in SERVICE_BODIES:
        if slug not in known:
            db.session.add(
                Organisation(slug=slug, name=name, name_en=name_en, kind=OrgKind.ENTERPRISE)
            )
            created["organisations"] += 1
    db.session.flush()
    slugs = [slug for slug, *_rest in wanted]
    found = {
        o.slug: o
        for o in db.session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))
    }
    return [found[slug] for slug in slugs]


def _industry(company: Organisation) -> str:
    """A generated company's field, from the industry part of its slug."""
    return PART_FIELDS[company.slug.rsplit("-", 1)[1]]


def _fields_of_work() -> None:
    for org in db.session.scalars(
        select(Organisation).where(Organisation.slug.in_(list(FIELDS_OF_WORK)))
    ):
        if not org.fields_of_work:
            org.fields_of_work = FIELDS_OF_WORK[org.slug]


def _alliance(rng: random.Random, companies: list[Organisation], today: date) -> None:
    """48 members who joined before this year (by the same date a year ago), 15 this year."""
    if db.session.scalar(select(func.count()).where(Organisation.alliance_member.is_(True))):
        return
    a_year_ago = Window(today, today).year_earlier().end
    earliest = date(2021, 6, 1)
    academic = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_((OrgKind.INSTITUTE, OrgKind.UNIVERSITY)))
            .order_by(Organisation.id)
        )
    )
    services = list(
        db.session.scalars(
            select(Organisation).where(
                Organisation.slug.in_(["operator", *(slug for slug, *_ in SERVICE_BODIES)])
            )
        )
    )
    enterprises = list(
        db.session.scalars(
            select(Organisation).where(
                Organisation.slug.in_([*list(OWN_NEED_COMPANIES), "haida-aqua"])
            )
        )
    )
    early = [(o, AllianceKind.PLATFORM) for o in academic] + [
        (o, AllianceKind.SERVICE) for o in services
    ]
    early += [(o, AllianceKind.ENTERPRISE) for o in enterprises]
    early += [(o, AllianceKind.ENTERPRISE) for o in companies[: ALLIANCE_BEFORE - len(early)]]
    later = companies[ALLIANCE_BEFORE : ALLIANCE_BEFORE + THIS_YEAR["alliance_joined"]]
    for org, kind in early:
        org.alliance_member, org.alliance_kind = True, kind
        org.joined_on = _day(rng, earliest, a_year_ago)
    for org in later:
        org.alliance_member, org.alliance_kind = True, AllianceKind.ENTERPRISE
        org.joined_on = _day(rng, today.replace(month=1, day=1), today)


# Every draw takes one number from the generator whatever the window's length: the windows end
# today, and a draw whose consumption depended on their length (randint's rejection sampling)
# gave another district on each day of the year, whose needs the matching tests read.
def _draw(rng: random.Random) -> float:
    return rng.random()


def _on(first: date, last: date, fraction: float) -> date:
    """The day at `fraction` (0 <= fraction < 1) of the way from `first` to `last`."""
    span = max(0, (last - first).days)
    return first + timedelta(days=min(span, int(fraction * (span + 1))))


def _day(rng: random.Random, first: date, last: date) -> date:
    return _on(first, last, _draw(rng))


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), platform_zone())


def _staff() -> User:
    staff = get_user_by_email(STAFF_EMAIL)
    if staff is None:
        operator = db.session.scalar(select(Organisation).where(Organisation.slug == "operator"))
        staff = create_user(
            STAFF_EMAIL, "孙悦（企业走访专员）", DEMO_PASSWORD, "researcher", operator
        )
    return staff


def _managers() -> dict[str, User]:
    emails = [email for email, _name, role, _org in USERS if role == Role.MANAGER]
    people = db.session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id))
    return {user.organisation.slug: user for user in people}


def _titles(rng: random.Random) -> dict[str, list[str]]:
    titles = {}
    for field, subjects in NEED_SUBJECTS.items():
        combos = [subject + problem for subject in subjects for problem in NEED_PROBLEMS[field]]
        rng.shuffle(combos)
        titles[field], titles[f"{field}:used"] = combos, []
    return titles


def _visits(rng, window: Window, plan: dict, companies, staff) -> list[tuple[Organisation, Visit]]:
    chosen = rng.sample(companies, plan["companies_visited"])
    again = rng.sample(chosen, plan["revisits"])
    made = []
    for company in chosen + again:
        fraction = _draw(rng)
        visit = Visit(
            company=company,
            visited_on=_on(window.start, window.end, fraction),
            notes=rng.choice(VISIT_NOTES),
            recorded_by_id=staff.id,
            created_at=_at(window.start),
        )
        db.session.add(visit)
        made.append((company, visit, fraction))
    db.session.flush()
    return made


def _needs(rng, window: Window, plan: dict, visited, staff, titles) -> list[Need]:
    own = [
        (slug, field)
        for number in range(plan["own_needs"])
        for slug, field in [list(OWN_NEED_COMPANIES.items())[number % len(OWN_NEED_COMPANIES)]]
    ]
    owners = {
        user.organisation.slug: user
        for user in db.session.scalars(
            select(User).where(User.role == Role.ENTERPRISE).order_by(User.id)
        )
    }
    companies = {
        o.slug: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.slug.in_(list(OWN_NEED_COMPANIES)))
        )
    }
    written = [
        (company, visit, fraction, _industry(company), staff)
        for company, visit, fraction in rng.choices(visited, k=plan["needs"] - plan["own_needs"])
    ]
    written += [(companies[slug], None, None, field, owners[slug]) for slug, field in own]
    dated = []
    for company, visit, fraction, field, author in written:
        # Past a hundred needs of one field a second phase of an earlier one is asked for.
        title = titles[field].pop() if titles[field] else f"{titles[f'{field}:used'].pop()}（二期）"
        titles[f"{field}:used"].append(title)
        if fraction is None:
            fraction = _draw(rng)
        day = _on(window.start, window.end, fraction)
        need = Need(
            company=company,
            visit=visit,
            title=title,
            description=NEED_DETAILS[field],
            field=field,
            status=NeedStatus.COLLECTED,
            collected_on=day,
            created_by_id=author.id,
            created_at=_at(day),
        )
        db.session.add(need)
        dated.append((fraction, len(dated), need))
    # In the order of their days, ties kept in the order of the draws (not of the days, which
    # tie more often in a short window).
    needs = [need for *_order, need in sorted(dated, key=lambda row: row[:2])]
    db.session.flush()
    for need in needs:
        _event(need, "collect", None, NeedStatus.COLLECTED, need.created_by_id, need.collected_on)
    return needs


def _event(need, action, before, after, actor_id, day, note="") -> None:
    db.session.add(
        NeedEvent(
            need_id=need.id,
            action=action,
            from_status=before,
            to_status=after,
            actor_id=actor_id,
            note=note,
            at=_at(day, 15),
        )
    )


def _later(rng, day: date, window: Window, most: int) -> date:
    return min(window.end, day + timedelta(days=1 + int(_draw(rng) * most)))


def _stages(rng, window: Window, plan: dict, needs: list[Need], managers) -> None:
    """Claimed, in talks, contracted and closed needs, each stage dated within the window."""
    order = needs  # in the order of their days (_needs)
    claimed = order[: plan["claimed"] * 2 : 2][: plan["claimed"]]
    rest = [n for n in order if n not in claimed]
    talks = claimed[: plan["in_talks"]]
    contracted = talks[: plan["contracted"]]
    for need in claimed:
        slug = rng.choices(ANSWERERS[str(need.field)], weights=(5, 3, 2))[0]
        claimant = managers[slug]
        need.status = NeedStatus.CLAIMED
        need.claimed_by_org_id, need.claimed_by_id = claimant.organisation_id, claimant.id
        need.claimed_on = _later(rng, need.collected_on, window, 20)
        _event(
            need, "claim", NeedStatus.COLLECTED, NeedStatus.CLAIMED, claimant.id, need.claimed_on
        )
    # Counts hang on a need's place in the day order, never on its id: ids differ between
    # databases (PostgreSQL's sequences do not go back), and the draws would follow them.
    for place, need in enumerate(talks):
        need.status = NeedStatus.IN_TALKS
        day = _later(rng, need.claimed_on, window, 15)
        need.talks_on = day
        before = NeedStatus.CLAIMED
        for number in range(1 + place % 3):
            held = day if number == 0 else _later(rng, day, window, 20)
            db.session.add(
                Meeting(
                    need_id=need.id,
                    held_on=held,
                    notes=MEETING_NOTES[number],
                    recorded_by_id=need.claimed_by_id,
                )
            )
            _event(
                need,
                "meeting",
                before,
                NeedStatus.IN_TALKS,
                need.claimed_by_id,
                held,
                MEETING_NOTES[number],
            )
            before = NeedStatus.IN_TALKS
    for need in contracted:
        need.status = NeedStatus.CONTRACTED
        need.contract_org_id = need.claimed_by_org_id
        need.contract_amount = Decimal(rng.randrange(80, 1200) * 1000)
        need.signed_on = _later(rng, need.talks_on, window, 30)
        _event(
            need,
            "contract",
            NeedStatus.IN_TALKS,
            NeedStatus.CONTRACTED,
            need.claimed_by_id,
            need.signed_on,
        )
    for need in rest[: plan["closed"]]:
        need.status = NeedStatus.CLOSED
        need.closed_reason = rng.choice(CLOSE_REASONS)
        need.closed_on = _later(rng, need.collected_on, window, 40)
        _event(
            need,
            "close",
            NeedStatus.COLLECTED,
            NeedStatus.CLOSED,
            need.created_by_id,
            need.closed_on,
            need.closed_reason,
        )
    db.session.flush()


def _amounts(rng, count: int, total: int, fixed: list[Decimal]) -> list[Decimal]:
    """`count` amounts in whole thousands of yuan that, with `fixed`, add up to `total`."""
    left = Decimal(total) - sum(fixed, Decimal(0))
    weights = [rng.lognormvariate(0, 0.9) for _ in range(count)]
    scale = left / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale / 1000).quantize(Decimal(1)) * 1000 for w in weights]
    largest = amounts.index(max(amounts))
    amounts[largest] += left - sum(amounts, Decimal(0))  # the rounding, on the largest
    return [a.quantize(Decimal("0.01")) for a in amounts]


def _transfers(rng, window: Window, plan: dict, needs: list[Need], companies, staff) -> None:
    """A transfer for every contracted need, and the institutes' other results transferred."""
    contracted = [n for n in needs if n.status == NeedStatus.CONTRACTED]
    academic = sorted({a for answers in ANSWERERS.values() for a in answers})
    sources = {
        o.slug: o
        for o in db.session.scalars(select(Organisation).where(Organisation.slug.in_(academic)))
    }
    fixed = [n.contract_amount for n in contracted]
    others = _amounts(rng, plan["transfers"] - len(contracted), plan["transfer_amount"], fixed)
    for place, need in enumerate(contracted):
        kind = TransferKind.JOINT_DEVELOPMENT if place % 2 else TransferKind.TECHNICAL_SERVICE
        db.session.add(
            Transfer(
                title=f"{need.title}（{KIND_WORDS[kind.value]}）",
                kind=kind,
                from_org_id=need.contract_org_id,
                to_org_id=need.company_id,
                amount=need.contract_amount,
                signed_on=need.signed_on,
                need_id=need.id,
                recorded_by_id=staff.id,
            )
        )
    for amount in others:
        kind = rng.choice(TRANSFER_KINDS)
        db.session.add(
            Transfer(
                title=f"{rng.choice(TRANSFER_SUBJECTS)}（{KIND_WORDS[kind]}）",
                kind=TransferKind(kind),
                from_org_id=sources[rng.choice(academic)].id,
                to_org_id=rng.choice(companies).id,
                amount=amount,
                signed_on=_day(rng, window.start, window.end),
                recorded_by_id=staff.id,
            )
        )
    db.session.flush()


def _experts() -> int:
    made = 0
    for name, title, slug, fields, expertise, categories in EXPERTS:
        org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
        runs = [
            i
            for i in db.session.scalars(
                select(Instrument)
                .where(Instrument.organisation_id == org.id)
                .order_by(Instrument.id)
            )
            if i.category.slug in categories
        ]
        db.session.add(
            Expert(
                name=name,
                title=title,
                organisation=org,
                fields=",".join(fields),
                expertise=expertise,
                instruments=runs[:3],
            )
        )
        made += 1
    return made


def _instruments_joined(today: date) -> None:
    """Each demo instrument joined the net the spring after it was commissioned (2021 at the
    earliest), so the net's growth over a year shows."""
    for instrument in db.session.scalars(select(Instrument)):
        year = max(2021, (instrument.year_commissioned or 2021) + 1)
        joined = min(today, date(year, 3, 1) + timedelta(days=instrument.id % 90))
        instrument.created_at = _at(joined)
