"""Reminders of a cruise's obligations (api.md, "Ship time: shared cruises"; issue 32 item 6):
the chief scientist hears of the cruise report and each allocated party of its data before they
fall due, through the outbox and a notice, once, however many sweepers run at once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from sharing.core.jobs import JobRun, jobs_of, run_job
from sharing.core.outbox import OutboxMail
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.cruises.reminders import obligations_due
from sharing.extensions import db
from sharing.notices.models import Notification
from tests.fixtures.bookings import SHANGHAI
from tests.fixtures.world import World
from tests.services.test_reminders import sweep

JOB = "cruise_obligations_due"


@pytest.fixture
def world(client, make):
    return World(client, make)


def completed(world, name="黄海冬季综合航次", data_due_days=60, second_applicant=False):
    """A cruise of the world's vessel back on its planned day (ahead of the fact: its dates
    are two months out), the researcher allocated (and chief scientist), the enterprise user
    (when asked) declined; its id, return day and the researcher's application."""
    body = {**world.cruise_body(), "name": name, "data_due_days": data_due_days}
    cruise = world.call("manager", "POST", "/cruises", body, expect=201).json["id"]
    world.call("manager", "POST", f"/cruises/{cruise}/open", {}, expect=200)
    path = f"/cruises/{cruise}/applications"
    mine = world.call("researcher", "POST", path, world.cruise_application_body(), 201).json
    if second_applicant:
        ask = {**world.cruise_application_body(), "project": "海上风电"}
        world.call("enterprise", "POST", path, ask, expect=201)
    allocation = {"allocations": [{"application_id": mine["id"]}]}
    world.call("manager", "POST", f"/cruises/{cruise}/allocate", allocation, expect=200)
    world.call("manager", "POST", f"/cruises/{cruise}/depart", {}, expect=200)
    back = body["returns_on"]
    world.call("manager", "POST", f"/cruises/{cruise}/complete", {"returned_on": back}, 200)
    return cruise, date.fromisoformat(back), mine["id"]


def at(day: date, hour: int = 9) -> datetime:
    """That day at the hour in the platform zone, as the sweep's `now`."""
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).astimezone(UTC)


def notices(user, kind: str) -> list[Notification]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
        )
    )


def mails_to(user, words: str) -> int:
    db.session.rollback()
    return db.session.scalar(
        select(func.count()).where(OutboxMail.to == user.email, OutboxMail.subject.contains(words))
    )


def round_at(app, day: date, hour: int = 9) -> int:
    return sweep(app, lambda: obligations_due(at(day, hour)))


def test_the_chief_hears_of_the_report_three_days_ahead_once(app, world):
    cruise, back, _mine = completed(world)
    chief = world.users["researcher"]
    assert round_at(app, back + timedelta(days=3)) == 0  # due on day 7: not yet
    assert round_at(app, back + timedelta(days=4)) == 1
    assert round_at(app, back + timedelta(days=4), hour=15) == 0
    assert round_at(app, back + timedelta(days=6)) == 0
    [notice] = notices(chief, "cruise_report_due")
    assert notice.url == f"/cruises/{cruise}" and "黄海冬季综合航次" in notice.text
    assert mails_to(chief, "黄海冬季综合航次") == 1
    body = db.session.scalar(select(OutboxMail.body).where(OutboxMail.to == chief.email))
    assert (back + timedelta(days=7)).isoformat() in body
    assert db.session.get(Cruise, cruise).report_reminded_at is not None


def test_each_allocated_party_hears_of_its_data_two_weeks_ahead_once(app, world):
    _cruise, back, mine = completed(world, second_applicant=True)
    researcher, declined = world.users["researcher"], world.users["enterprise"]
    assert round_at(app, back + timedelta(days=45)) == 0  # due on day 60: 15 days ahead
    assert round_at(app, back + timedelta(days=46)) == 1
    assert round_at(app, back + timedelta(days=50)) == 0
    assert len(notices(researcher, "cruise_data_due")) == 1
    assert notices(declined, "cruise_data_due") == []  # not placed: owes nothing
    assert mails_to(researcher, "黄海冬季综合航次") == 1
    assert db.session.get(CruiseApplication, mine).data_reminded_at is not None
    # Past the report's week nobody was reminded of it: a late sweep does not nag.
    assert notices(researcher, "cruise_report_due") == []


def test_work_done_or_already_overdue_is_not_reminded(app, world):
    cruise, back, mine = completed(world, name="已交报告航次")
    world.call("researcher", "POST", f"/cruises/{cruise}/report", world.cruise_report_body(), 200)
    data = f"/cruise-applications/{mine}/data"
    world.call("researcher", "POST", data, world.data_body(), expect=200)
    assert round_at(app, back + timedelta(days=4)) == 0
    assert round_at(app, back + timedelta(days=46)) == 0
    _late, late_back, _ = completed(world, name="补录航次")
    # Swept for the first time after both fell due (recorded after the fact): no reminder.
    assert round_at(app, late_back + timedelta(days=61)) == 0
    researcher = world.users["researcher"]
    assert notices(researcher, "cruise_report_due") == notices(researcher, "cruise_data_due") == []


def test_short_data_days_are_reminded_from_the_return_day(app, world):
    _cruise, back, _mine = completed(world, data_due_days=10)
    assert round_at(app, back - timedelta(days=1)) == 0  # recorded ahead: not back yet
    assert round_at(app, back) == 1  # data due in ten days
    assert round_at(app, back + timedelta(days=4)) == 1  # the report, due in three
    assert round_at(app, back + timedelta(days=5)) == 0


def test_the_job_runs_with_the_others(app):
    assert JOB in [job.name for job in jobs_of(app)]


@pytest.mark.postgresql_only
def test_four_sweepers_at_once_send_each_reminder_once(app, world):
    """Three cruises, each owing its report and its data on the same day; four runners of the
    job released at once on PostgreSQL, each on its own connection."""
    made = [completed(world, name=f"并发航次{n}", data_due_days=10) for n in range(3)]
    backs = {back for _cruise, back, _mine in made}
    # Each world's cruises are three weeks apart: sweep each cruise's day 5 in turn.
    researcher = world.users["researcher"]
    job = next(job for job in jobs_of(app) if job.name == JOB)

    def sweep_at_once(now):
        barrier, outcomes = threading.Barrier(4), []

        def runner(number):
            barrier.wait()
            outcomes.append(run_job(app, job, f"test:{number}", now=now))

        threads = [threading.Thread(target=runner, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return outcomes

    for back in sorted(backs):
        assert sweep_at_once(at(back + timedelta(days=5))) == ["ok"] * 4
    for kind in ("cruise_report_due", "cruise_data_due"):
        urls = sorted(n.url for n in notices(researcher, kind))
        assert urls == sorted(f"/cruises/{cruise}" for cruise, _back, _mine in made), kind
    for n in range(3):
        assert mails_to(researcher, f"并发航次{n}") == 2
    done = db.session.scalar(select(func.sum(JobRun.done)).where(JobRun.job == JOB))
    assert done == 6
