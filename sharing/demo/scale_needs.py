"""The district's needs, voucher claims and notifications at scale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from sharing.auth.models import User
from sharing.demo.scale_base import (
    HISTORY_DAYS,
    NEED_FIELDS,
    NEED_TEXT,
    NEED_TITLES,
    District,
    Writer,
    count_rows,
)
from sharing.extensions import db
from sharing.orgs.models import Organisation


def write_needs(district: District, writer: Writer) -> None:
    """Companies' needs collected over the years, most claimed, some contracted or closed."""
    rng, now = district.rng, district.now
    companies = db.session.scalars(
        select(Organisation.id).where(Organisation.kind == "enterprise").order_by(Organisation.id)
    ).all()
    if not companies:
        return
    need_id = writer.next_id("needs")
    event_id = writer.next_id("need_events")
    events = []
    wanted = max(0, district.target("needs") - count_rows("needs"))
    collector = 1

    def rows():
        nonlocal need_id, event_id
        for number in range(wanted):
            collected = (now - timedelta(days=int(HISTORY_DAYS * (1 - number / wanted)) + 1)).date()
            roll = rng.random()
            status = (
                "collected" if roll < 0.25 else "claimed" if roll < 0.5
                else "in_talks" if roll < 0.7 else "contracted" if roll < 0.85 else "closed"
            )  # fmt: skip
            claimant = rng.choice(district.owners) if status != "collected" else None
            claimed_on = collected + timedelta(days=7) if claimant else None
            talks_on = (
                collected + timedelta(days=21) if status in ("in_talks", "contracted") else None
            )
            signed = collected + timedelta(days=60) if status == "contracted" else None
            at = datetime.combine(collected, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
            events.append((event_id, need_id, "collect", None, "collected", collector, "", at))
            event_id += 1
            if claimant:
                events.append(
                    (
                        event_id,
                        need_id,
                        "claim",
                        "collected",
                        "claimed",
                        collector,
                        "",
                        at + timedelta(days=7),
                    )
                )
                event_id += 1
            yield (
                need_id, companies[rng.randrange(len(companies))],
                NEED_TITLES[number % len(NEED_TITLES)], NEED_TEXT,
                NEED_FIELDS[number % len(NEED_FIELDS)], status, collected, collector, claimant,
                district.managers.get(claimant) if claimant else None, claimed_on, talks_on,
                claimant if signed else None, rng.randint(5, 80) * 1_000_000 if signed else None,
                signed, "企业自行解决" if status == "closed" else "",
                collected + timedelta(days=90) if status == "closed" else None, at, at,
            )  # fmt: skip
            need_id += 1

    district.counts["needs"] = writer.write(
        "needs",
        (
            "id", "company_id", "title", "description", "field", "status", "collected_on",
            "created_by_id", "claimed_by_org_id", "claimed_by_id", "claimed_on", "talks_on",
            "contract_org_id", "contract_amount", "signed_on", "closed_reason", "closed_on",
            "created_at", "updated_at",
        ),
        rows(),
    )  # fmt: skip
    writer.write(
        "need_events",
        ("id", "need_id", "action", "from_status", "to_status", "actor_id", "note", "at"),
        events,
    )


def write_claims(district: District, writer: Writer) -> None:
    """Companies' voucher claims under the year's programme, in every state."""
    programme = db.session.scalar(text("SELECT id FROM voucher_programmes ORDER BY id LIMIT 1"))
    if programme is None:
        return
    rng, now = district.rng, district.now
    staff = [u for u in district.users if u["kind"] == "enterprise"]
    first = writer.next_id("voucher_claims")
    rows = []
    for number in range(max(0, district.target("claims") - count_rows("voucher_claims"))):
        user = staff[rng.randrange(len(staff))]
        status = ("submitted", "approved", "rejected", "paid")[number % 4]
        subsidy = rng.randint(2, 40) * 100_000
        decided = now - timedelta(days=rng.randint(1, 60)) if status != "submitted" else None
        rows.append(
            (
                first + number, programme, user["organisation_id"], status, subsidy, subsidy // 2,
                user["id"], 1 if decided else None, decided,
                decided if status == "paid" else None,
                "材料不全" if status == "rejected" else "材料齐全",
                (decided or now) - timedelta(days=3),
            )
        )  # fmt: skip
    district.counts["voucher claims"] = writer.write(
        "voucher_claims",
        (
            "id", "programme_id", "organisation_id", "status", "enterprise_subsidy",
            "provider_subsidy", "submitted_by_id", "decided_by_id", "decided_at", "paid_at",
            "reason", "created_at",
        ),
        rows,
    )  # fmt: skip


NOTICE_TEXTS = (
    ("mail", "您的预约已通过审核: {name}"),
    ("mail", "预约提醒: {name} 明天开始"),
    ("mail", "送样订单已出具报告: {name}"),
    ("reminder", "请及时签退: {name}"),
)


def write_notifications(district: District, writer: Writer) -> None:
    """Copies of the mails people had over the years, the old ones read."""
    rng, now = district.rng, district.now
    people = db.session.scalars(select(User.id)).all()
    first = writer.next_id("notifications")
    wanted = max(0, district.target("notifications") - count_rows("notifications"))

    def rows():
        for number in range(wanted):
            kind, template = NOTICE_TEXTS[number % len(NOTICE_TEXTS)]
            instrument = district.instruments[rng.randrange(len(district.instruments))]
            created = now - timedelta(days=HISTORY_DAYS * (1 - number / wanted), minutes=1)
            read = (
                created + timedelta(hours=rng.randint(1, 48))
                if created < now - timedelta(days=7)
                else None
            )
            yield (
                first + number, people[rng.randrange(len(people))], kind,
                template.format(name=instrument["name"]), f"/instruments/{instrument['id']}",
                created, read,
            )  # fmt: skip

    district.counts["notifications"] = writer.write(
        "notifications", ("id", "user_id", "kind", "text", "url", "created_at", "read_at"), rows()
    )
