"""The loans page reads a page of each list, latest first (issue 36: a lender of the whole
district's gear has thousands of loans), with links to the other pages."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert

from sharing.extensions import db
from sharing.loans.models import Loan, LoanItem
from sharing.loans.services import listing
from sharing.util.formatting import local_today
from tests.fixtures.loans import day_instrument, day_rates


def _loans(make, count: int):
    manager = make.user("manager")
    researcher = make.user("researcher", make.org(slug="uni", kind="university"))
    gear = day_instrument(make, manager, day_rates("2000.00"))
    ids = []
    for number in range(count):
        start = local_today() + timedelta(days=10 * number + 5)
        loan_id = db.session.execute(
            insert(Loan).returning(Loan.id),
            {
                "borrower_id": researcher.id,
                "organisation_id": researcher.organisation_id,
                "start_date": start,
                "end_date": start + timedelta(days=2),
                "status": "approved",
            },
        ).scalar_one()
        db.session.execute(
            insert(LoanItem),
            {
                "loan_id": loan_id,
                "instrument_id": gear.id,
                "owner_org_id": manager.organisation_id,
                "status": "approved",
                "start_date": start,
                "end_date": start + timedelta(days=2),
                "blocked_until": start + timedelta(days=3),
                "category": "academic",
                "day_rate": Decimal("2000.00"),
            },
        )
        ids.append(loan_id)
    db.session.commit()
    return manager, researcher, ids


def _shown(page: str, section: str) -> list[int]:
    part = page.split('id="lent"')[0 if section == "borrowed" else 1]
    return [int(n) for n in re.findall(r'href="/loans/(\d+)"', part)]


def test_each_list_of_the_loans_page_is_paged_latest_first(client, make, login, monkeypatch):
    monkeypatch.setattr(listing, "LOANS_PER_PAGE", 2)
    manager, researcher, ids = _loans(make, 3)

    login(manager)
    first = client.get("/loans").get_data(as_text=True)
    assert _shown(first, "lent") == [ids[2], ids[1]]
    assert "lent_page=2" in first
    second = client.get("/loans?lent_page=2").get_data(as_text=True)
    assert _shown(second, "lent") == [ids[0]]
    assert _shown(second, "borrowed") == []

    client.delete_cookie("session")
    login(researcher)
    mine = client.get("/loans?borrowed_page=2").get_data(as_text=True)
    assert _shown(mine, "borrowed") == [ids[0]]
    assert "borrowed_page=1" in mine
