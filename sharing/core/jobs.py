"""Background jobs: the outbox's delivery and each feature's periodic work.

Each feature names its own jobs (`<feature>/jobs.py`) and `create_app` registers them here, so
this plumbing knows no feature. They run in one of two places:

- `flask worker` (see `run_worker`): a process of its own, any number of them on any servers;
  the web processes then run none (`JOBS_IN_WEB=0`).
- inside the site (`JOBS_IN_WEB`, the default, so that the SQLite site needs nothing more): a
  thread runs the jobs every NO_SHOW_SWEEP_SECONDS (0 turns it off), and a courier thread
  delivers the outbox as soon as a commit has queued mail, after the request has answered.

Several runners may run a job at once: each booking, offer or reminder is claimed under a row
lock that the others wait for and then find taken (PostgreSQL), or under the database write lock
(SQLite), so none is done twice; the outbox leases its rows (`outbox.py`). Every run that did
something or failed is recorded (`job_runs`: which job, who ran it, when, the outcome) and
counted by job and outcome (`job_run_totals`, what /metrics reports).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import BigInteger, Index, Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from sharing.core.dbtypes import UTCDateTime
from sharing.extensions import db
from sharing.util.timeutil import utcnow

log = logging.getLogger("sharing.jobs")
STOP_KEY = "background_jobs_stop"
THREAD_KEY = "background_jobs_thread"  # to wait for a round under way after stopping
JOBS_KEY = "background_jobs"
COURIER_KEY = "outbox_courier"
OUTBOX_JOB = "outbox"
OK, FAILED = "ok", "failed"
KEEP_RUNS = timedelta(days=14)
# Who the job under way runs for: the outbox leases its rows in that name.
_RUNNER: ContextVar[str] = ContextVar("job_runner", default="")


@dataclass(frozen=True)
class Job:
    """One kind of background work: `run(now)` does what is due and says how much it did."""

    name: str
    run: Callable[[datetime], int]
    done: str  # a log line with one %d, written when the round did something


class JobRun(db.Model):
    """One run of a job that did something or failed: what an operator reads to know that the
    sweep ran (quiet rounds of nothing to do are counted, not kept)."""

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    runner: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(10))
    done: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class JobRunTotal(db.Model):
    """How many times each job ran with each outcome, ever (a counter: never pruned)."""

    __tablename__ = "job_run_totals"

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(10), primary_key=True)
    runs: Mapped[int] = mapped_column(BigInteger, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


def runner_name(kind: str) -> str:
    """Who runs: the host, the process, the thread and whether it is a worker or the site."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_native_id()}:{kind}"[:120]


def _deliver_outbox(now: datetime) -> int:
    from sharing.core.outbox import deliver_due

    return deliver_due(current_app.config, _RUNNER.get() or runner_name("web"), now)


# The platform's own job; the features add theirs at create_app.
CORE_JOBS = (Job(OUTBOX_JOB, _deliver_outbox, "delivered %d mail(s)"),)


def register_jobs(app: Flask, jobs: Iterable[Job]) -> None:
    """Add a feature's jobs to those this app runs (a name once)."""
    known = app.extensions.setdefault(JOBS_KEY, {})
    for job in jobs:
        known[job.name] = job


def jobs_of(app: Flask) -> list[Job]:
    """The jobs registered on this app, in the order they were registered."""
    return list(app.extensions.get(JOBS_KEY, {}).values())


def _count_run(job: str, outcome: str, now: datetime) -> None:
    """Add one to the job's total for the outcome, in the caller's transaction."""
    changed = db.session.execute(
        update(JobRunTotal)
        .where(JobRunTotal.job == job, JobRunTotal.outcome == outcome)
        .values(runs=JobRunTotal.runs + 1, last_at=now)
    )
    if changed.rowcount == 0:
        # The first run of its kind: two runners may both find no row; the loser's key clash
        # is caught below and retried as an update.
        with db.session.begin_nested():
            db.session.add(JobRunTotal(job=job, outcome=outcome, runs=1, last_at=now))


def record_run(
    job: str,
    runner: str,
    started: datetime,
    finished: datetime,
    outcome: str,
    done: int = 0,
    error: str | None = None,
) -> None:
    """Count the run, and keep it when it did something or failed (caller commits)."""
    from sqlalchemy.exc import IntegrityError

    try:
        _count_run(job, outcome, finished)
    except IntegrityError:
        _count_run(job, outcome, finished)
    if done or outcome == FAILED:
        db.session.add(
            JobRun(
                job=job,
                runner=runner,
                started_at=started,
                finished_at=finished,
                outcome=outcome,
                done=done,
                error=error,
            )
        )


def run_job(
    app: Flask,
    job: Job,
    runner: str,
    now: datetime | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> str:
    """Run one job in its own transaction and record how it went; returns the outcome."""
    from sharing.core.dbsetup import background_writer

    token = _RUNNER.set(runner)
    with app.app_context(), background_writer():
        started = clock()
        try:
            count = job.run(now or started)
            record_run(job.name, runner, started, clock(), OK, count)
            db.session.commit()
            if count:
                log.info(job.done, count)
            return OK
        except Exception as error:
            db.session.rollback()
            log.exception("background job %s failed; it runs again next round", job.name)
            try:
                record_run(
                    job.name,
                    runner,
                    started,
                    clock(),
                    FAILED,
                    0,
                    f"{type(error).__name__}: {error}"[:2000],
                )
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("could not record the failure of %s", job.name)
            return FAILED
        finally:
            db.session.remove()
            _RUNNER.reset(token)


def run_jobs_once(
    app: Flask,
    now: datetime | None = None,
    runner: str | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, str]:
    """Each job once, in its own transaction; one job's failure leaves the others alone."""
    runner = runner or runner_name("web")
    wanted = set(only) if only is not None else None
    return {
        job.name: run_job(app, job, runner, now)
        for job in jobs_of(app)
        if wanted is None or job.name in wanted
    }


def prune_runs(now: datetime) -> int:
    """Forget kept runs older than two weeks (the totals stay)."""
    gone = db.session.execute(delete(JobRun).where(JobRun.started_at < now - KEEP_RUNS))
    return gone.rowcount or 0


def latest_runs() -> list[JobRun]:
    """The newest kept run of each job, for the operations page."""
    newest = select(JobRun.job, db.func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    return list(
        db.session.scalars(
            select(JobRun).join(newest, JobRun.id == newest.c.id).order_by(JobRun.job)
        )
    )


def run_totals() -> list[JobRunTotal]:
    return list(
        db.session.scalars(select(JobRunTotal).order_by(JobRunTotal.job, JobRunTotal.outcome))
    )


def jobs_in_web(app: Flask) -> bool:
    return bool(app.config.get("JOBS_IN_WEB", True))


def start_background_jobs(app: Flask) -> threading.Thread | None:
    """In a web process that runs the jobs: the jobs' thread when NO_SHOW_SWEEP_SECONDS > 0,
    and the outbox courier, woken by each commit that queued mail."""
    from sharing.core.mail import mails_committed

    # Always connected: the courier asks the app's configuration at each commit.
    mails_committed.connect(_wake_courier)
    if not jobs_in_web(app):
        return None
    interval = float(app.config.get("NO_SHOW_SWEEP_SECONDS", 60))
    if interval <= 0:
        return None
    stop = threading.Event()
    app.extensions[STOP_KEY] = stop

    def run() -> None:
        runner = runner_name("web")
        while not stop.wait(interval):
            run_jobs_once(app, runner=runner)

    thread = threading.Thread(target=run, name="background-jobs", daemon=True)
    app.extensions[THREAD_KEY] = thread
    thread.start()
    return thread


class Courier:
    """A web process's outbox delivery: a thread that sleeps until a commit queued mail."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="outbox-courier", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        runner = runner_name("web")
        while True:
            self.wake.wait()
            if self.stopped.is_set():
                return
            self.wake.clear()
            job = self.app.extensions.get(JOBS_KEY, {}).get(OUTBOX_JOB)
            if job is not None:
                run_job(self.app, job, runner)

    def stop(self, timeout: float = 30) -> None:
        self.stopped.set()
        self.wake.set()
        self.thread.join(timeout)


def _wake_courier(app: Flask, count: int = 0) -> None:
    if not jobs_in_web(app) or OUTBOX_JOB not in app.extensions.get(JOBS_KEY, {}):
        return
    courier = app.extensions.get(COURIER_KEY)
    if courier is None or courier.stopped.is_set():
        courier = app.extensions[COURIER_KEY] = Courier(app)
    courier.wake.set()


def stop_courier(app: Flask) -> None:
    """Stop the app's courier after the round under way (tests, before emptying tables)."""
    courier = app.extensions.pop(COURIER_KEY, None)
    if courier is not None:
        courier.stop()


def run_worker(
    app: Flask,
    poll_seconds: float,
    sweep_seconds: float,
    stop: threading.Event | None = None,
    runner: str | None = None,
) -> None:
    """`flask worker`: deliver the outbox every `poll_seconds`, run the other jobs every
    `sweep_seconds`, until `stop` is set (SIGTERM sets it)."""
    import time

    stop = stop or threading.Event()
    runner = runner or runner_name("worker")
    periodic = [job.name for job in jobs_of(app) if job.name != OUTBOX_JOB]
    next_sweep = 0.0
    next_prune = 0.0
    log.info("worker %s started: %d job(s)", runner, len(jobs_of(app)))
    while not stop.is_set():
        run_jobs_once(app, runner=runner, only=[OUTBOX_JOB])
        if time.monotonic() >= next_sweep:
            run_jobs_once(app, runner=runner, only=periodic)
            next_sweep = time.monotonic() + sweep_seconds
        if time.monotonic() >= next_prune:
            with app.app_context():
                prune_runs(utcnow())
                db.session.commit()
                db.session.remove()
            next_prune = time.monotonic() + 3600
        stop.wait(poll_seconds)
    log.info("worker %s stopped", runner)
