"""Demo records of the needs pipeline, dated within this year (so far) and the same dates of last
year, so that the impact page shows the district's published figures: 189 companies visited,
234 needs, 56 claimed, 192 results transferred for ¥250 million, an alliance of 63."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from sharing.auth.models import Role, User
from sharing.auth.services import create_user, get_user_by_email
from sharing.demo.data import DEMO_PASSWORD, USERS
from sharing.demo.district import (
    OWN_NEED_COMPANIES,
    companies_of_the_district,
    industry_of,
    seed_alliance,
    set_fields_of_work,
)
from sharing.demo.draws import any_day, at, day_at, draw
from sharing.demo.experts_data import EXPERTS
from sharing.demo.pipeline_data import (
    ANSWERERS,
    CLOSE_REASONS,
    LAST_YEAR,
    MEETING_NOTES,
    NEED_DETAILS,
    NEED_PROBLEMS,
    NEED_SUBJECTS,
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
from sharing.orgs.models import Organisation
from sharing.util.formatting import local_today

STAFF_EMAIL = "staff@bluevalley.example"
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
    companies = companies_of_the_district(created)
    set_fields_of_work()
    # The alliance draws from its own generator: the needs' draws do not hang on whether it
    # was seeded before.
    seed_alliance(random.Random(20261203), companies, today)
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
        fraction = draw(rng)
        visit = Visit(
            company=company,
            visited_on=day_at(window.start, window.end, fraction),
            notes=rng.choice(VISIT_NOTES),
            recorded_by_id=staff.id,
            created_at=at(window.start),
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
        (company, visit, fraction, industry_of(company), staff)
        for company, visit, fraction in rng.choices(visited, k=plan["needs"] - plan["own_needs"])
    ]
    written += [(companies[slug], None, None, field, owners[slug]) for slug, field in own]
    dated = []
    for company, visit, fraction, field, author in written:
        # Past a hundred needs of one field a second phase of an earlier one is asked for.
        title = titles[field].pop() if titles[field] else f"{titles[f'{field}:used'].pop()}（二期）"
        titles[f"{field}:used"].append(title)
        if fraction is None:
            fraction = draw(rng)
        day = day_at(window.start, window.end, fraction)
        need = Need(
            company=company,
            visit=visit,
            title=title,
            description=NEED_DETAILS[field],
            field=field,
            status=NeedStatus.COLLECTED,
            collected_on=day,
            created_by_id=author.id,
            created_at=at(day),
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
            at=at(day, 15),
        )
    )


def _later(rng, day: date, window: Window, most: int) -> date:
    return min(window.end, day + timedelta(days=1 + int(draw(rng) * most)))


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
                signed_on=any_day(rng, window.start, window.end),
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
        instrument.created_at = at(joined)
