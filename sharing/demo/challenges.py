"""The demo's board of challenges: open, awarded and completed, with proposals and quotes."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from sharing.auth.services import get_user_by_email
from sharing.challenges.models import Challenge
from sharing.challenges.services import (
    apply_to_challenge,
    award_challenge,
    complete_challenge,
    post_challenge,
)
from sharing.demo.data import (
    CHALLENGES,
    USERS,
)
from sharing.extensions import db
from sharing.orgs.services import get_organisation
from sharing.util.timeutil import utcnow

# Internal users pay less and companies more than other academics: the usual sharing tariff.

DEMO_PROPOSALS = [
    "**技术路线**：仿真优化 + 样机试制 + 压力舱验证，依托本单位共享仪器完成表征。",
    "**技术路线**：先行小试确定工艺窗口，再联合企业中试放大。",
]


def seed_challenges(existing: Counter, created: Counter) -> None:
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
            existing["challenges"] += 1
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
        created["challenges"] += 1
