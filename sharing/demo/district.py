"""The district's firms of five industries and its service bodies, the institutes' fields of work
and the alliance of 63 members, as the needs pipeline's demo finds them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from sharing.demo.draws import any_day
from sharing.demo.pipeline_data import (
    ALLIANCE_BEFORE,
    BRANDS,
    FIELDS_OF_WORK,
    INDUSTRIES,
    SERVICE_BODIES,
    THIS_YEAR,
)
from sharing.extensions import db
from sharing.needs.impact import Window
from sharing.orgs.models import AllianceKind, Organisation, OrgKind

OWN_NEED_COMPANIES = {
    "bv-marine-eq": "marine-equipment",
    "bv-biomed": "marine-biomedicine",
    "jimo-auto": "new-materials",
    "jimo-textile": "new-materials",
}
INDUSTRY_NAMES = {field: name for field, name, _en, _part in INDUSTRIES}
PART_FIELDS = {part: field for field, _name, _en, part in INDUSTRIES}


def companies_of_the_district(created: Counter) -> list[Organisation]:
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


def industry_of(company: Organisation) -> str:
    """A generated company's field, from the industry part of its slug."""
    return PART_FIELDS[company.slug.rsplit("-", 1)[1]]


def set_fields_of_work() -> None:
    for org in db.session.scalars(
        select(Organisation).where(Organisation.slug.in_(list(FIELDS_OF_WORK)))
    ):
        if not org.fields_of_work:
            org.fields_of_work = FIELDS_OF_WORK[org.slug]


def seed_alliance(rng: random.Random, companies: list[Organisation], today: date) -> None:
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
        org.joined_on = any_day(rng, earliest, a_year_ago)
    for org in later:
        org.alliance_member, org.alliance_kind = True, AllianceKind.ENTERPRISE
        org.joined_on = any_day(rng, today.replace(month=1, day=1), today)
