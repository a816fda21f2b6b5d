"""Metrics, files every server serves, and the worker's recorded runs."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from sharing import create_app
from sharing.core.jobs import run_jobs_once
from sharing.extensions import db
from tests.conftest import base_config
from tests.fixtures.world import png_bytes

TOKEN = "scrape-token-for-tests"


@pytest.fixture
def app_config():
    return {"METRICS_TOKEN": TOKEN, "JOBS_IN_WEB": False}


def _scrape(client) -> dict:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_the_token(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401


def test_metrics_move_with_requests_jobs_and_bookings(app, client, make, token_for):
    from tests.fixtures.bookings import at, next_weekday, weekday_instrument

    before = _scrape(client)
    for name in (
        "sharing_outbox_pending",
        "sharing_outbox_oldest_pending_seconds",
        "sharing_bookings_created_total",
        "sharing_loans_created_total",
        "sharing_database_up",
    ):
        assert (name, ()) in before, name
    labels = {"endpoint": "api_instruments.list_instruments", "method": "GET", "status": "200"}
    client.get("/api/v1/instruments")
    instrument = weekday_instrument(make, make.user("manager"), requires_approval=True)
    day = next_weekday()
    created = client.post(
        "/api/v1/bookings",
        json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
        headers=token_for(make.user("researcher")),
    )
    assert created.status_code == 201
    middle = _scrape(client)
    assert _value(middle, "sharing_http_requests_total", **labels) == (
        _value(before, "sharing_http_requests_total", **labels) + 1
    )
    assert _value(middle, "sharing_http_request_duration_seconds_count", **labels) >= 1
    assert _value(middle, "sharing_bookings_created_total") == 1
    assert _value(middle, "sharing_outbox_pending") == 1  # the manager's mail, not sent yet
    run_jobs_once(app, runner="test")
    after = _scrape(client)
    assert _value(after, "sharing_outbox_pending") == 0
    assert _value(after, "sharing_jobs_runs_total", job="outbox", outcome="ok") == 1
    assert _value(after, "sharing_jobs_runs_total", job="no_show_sweep", outcome="ok") == 1


def test_a_failing_job_is_recorded_with_who_ran_it(app, client, make, login):
    from sharing.core.jobs import Job, JobRun, run_job

    def broken(now):
        raise RuntimeError("the sweep broke")

    assert run_job(app, Job("broken", broken, "%d"), "host:1:worker") == "failed"
    run = db.session.scalars(db.select(JobRun)).one()
    assert (run.job, run.outcome, run.runner) == ("broken", "failed", "host:1:worker")
    assert "the sweep broke" in run.error
    login(make.admin())
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    assert "the sweep broke" in page.get_data(as_text=True)


def test_a_photo_uploaded_on_one_server_is_served_by_another(
    app, client, make, token_for, database_url, tmp_path
):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager)
    app.instance_path = str(tmp_path / "first")
    uploaded = client.post(
        f"/api/v1/instruments/{instrument.id}/photos",
        data={"file": (__import__("io").BytesIO(png_bytes()), "photo.png")},
        headers=token_for(manager),
    )
    assert uploaded.status_code == 201, uploaded.json
    first = client.get(uploaded.json["url"])
    other = create_app(base_config(database_url, JOBS_IN_WEB=False))
    other.instance_path = str(tmp_path / "second")  # a folder of its own, empty
    served = other.test_client().get(uploaded.json["url"])
    assert served.status_code == 200
    assert served.data == first.data and served.data[:3] == b"\xff\xd8\xff"
    assert served.headers["Content-Type"] == "image/jpeg"
    assert "max-age" in served.headers["Cache-Control"]
    assert not (tmp_path / "second" / "photos").exists()
    with other.app_context():
        db.engine.dispose()


@pytest.mark.fresh_app
def test_a_request_never_waits_on_a_mail_server_that_hangs(app, client, make, token_for):
    """A server that takes the connection and never greets: the courier waits, not the request."""
    import socket
    import time

    from sqlalchemy import select

    from sharing.core.outbox import OutboxMail
    from tests.fixtures.bookings import at, next_weekday, weekday_instrument

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config.update(
            JOBS_IN_WEB=True,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=silent.getsockname()[1],
            MAIL_TIMEOUT_SECONDS=2,
        )
        instrument = weekday_instrument(make, make.user("manager"), requires_approval=True)
        day = next_weekday()
        headers = token_for(make.user("researcher"))
        started = time.perf_counter()
        created = client.post(
            "/api/v1/bookings",
            json={"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)},
            headers=headers,
        )
        elapsed = time.perf_counter() - started
        assert created.status_code == 201
        assert elapsed < 1.5, elapsed
        db.session.rollback()
        assert db.session.scalars(select(OutboxMail.status)).all() == ["pending"]


def test_the_admin_page_retries_a_failed_mail(app, client, make, login):
    from sharing.core.outbox import FAILED, OutboxMail

    mail = OutboxMail(
        to="gone@lab.example",
        subject="Undeliverable",
        body="-",
        status=FAILED,
        attempts=14,
        last_error="SMTPServerDisconnected: closed",
        next_attempt_at=None,
    )
    db.session.add(mail)
    db.session.commit()
    login(make.admin())
    page = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "SMTPServerDisconnected: closed" in page and "gone@lab.example" in page
    answer = client.post(f"/admin/outbox/{mail.id}/retry")
    assert answer.status_code == 302
    db.session.refresh(mail)
    assert mail.status == "pending"
    assert client.get("/admin/outbox?status=lost").status_code == 404


def _healthz_requests(url: str) -> float:
    """The HEAD requests to /healthz every worker has counted. Only this test sends HEAD: the
    readiness probe's GETs, which a loaded machine may see answered after the probe gave up on
    them (and so after the count before), are not among them."""
    import requests

    answer = requests.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert answer.status_code == 200
    return sum(
        sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "sharing_http_requests_total"
        and "health" in sample.labels["endpoint"]
        and sample.labels["method"] == "HEAD"
    )


@pytest.mark.sqlite_only  # about gunicorn's workers, not the database: once is enough
def test_gunicorn_workers_add_up_in_one_scrape(database_url, tmp_path):
    """Two gunicorn workers: each scrape, whichever worker answers it, counts every worker's
    requests (prometheus-client's multiprocess mode, set up by gunicorn.conf.py)."""
    import requests

    from bench.servers import gunicorn

    with gunicorn(database_url, workers=2, log_dir=tmp_path, METRICS_TOKEN=TOKEN) as server:
        before = _healthz_requests(server.url)
        for _ in range(30):
            with requests.Session() as session:  # a connection each: both workers answer
                assert session.head(f"{server.url}/healthz", timeout=30).status_code == 200
        counted = [_healthz_requests(server.url) - before for _ in range(4)]
    assert counted == [30, 30, 30, 30]


def test_flask_worker_once_runs_every_job_and_records_the_runs(app, runner):
    from sharing.core.jobs import JobRunTotal

    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "outbox: ok" in result.output and "no_show_sweep: ok" in result.output
    db.session.rollback()
    totals = {(t.job, t.outcome): t.runs for t in db.session.scalars(db.select(JobRunTotal))}
    assert totals[("no_show_sweep", "ok")] == 1 and totals[("outbox", "ok")] == 1
