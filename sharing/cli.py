"""Command line: create organisations and users, load the demo data."""

from __future__ import annotations

import logging

import click
from flask import Flask

from sharing.core.errors import DomainError
from sharing.extensions import db


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def register_cli(app: Flask) -> None:
    """Attach the project's commands to `flask --app sharing`."""

    @app.cli.command("create-org")
    @click.argument("slug")
    @click.option("--name", required=True, help="Name in Chinese")
    @click.option("--name-en", default="", help="Name in English")
    @click.option("--kind", required=True, help="institute, university, enterprise or operator")
    def create_org(slug: str, name: str, name_en: str, kind: str) -> None:
        """Add an organisation."""
        from sharing.orgs.services import create_organisation

        try:
            org = create_organisation(slug, name, kind, name_en)
        except DomainError as error:
            _fail(error.message)
        db.session.commit()
        click.echo(f"Created organisation {org.slug} ({org.kind.value}).")

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--password", required=True)
    @click.option("--role", required=True, help="admin, manager, researcher or enterprise")
    @click.option("--org", "org_slug", required=True, help="Slug of the user's organisation")
    def create_user_command(email: str, name: str, password: str, role: str, org_slug: str) -> None:
        """Add a user to an organisation."""
        from sharing.auth.services import create_user
        from sharing.orgs.services import get_organisation

        org = get_organisation(org_slug)
        if org is None:
            _fail(f"No organisation {org_slug!r}; create it first with create-org.")
        try:
            user = create_user(email, name, password, role, org)
        except DomainError as error:
            _fail(error.message)
        db.session.commit()
        click.echo(f"Created {user.role.value} {user.email} in {org.slug}.")

    @app.cli.command("unlock-user")
    @click.argument("email")
    def unlock_user_command(email: str) -> None:
        """Lift a sign-in lockout (for when the locked account is the only admin's)."""
        from sharing.auth.services import get_user_by_email, unlock_user

        user = get_user_by_email(email)
        if user is None:
            _fail(f"No user {email!r}.")
        unlock_user(user)
        db.session.commit()
        click.echo(f"Unlocked {user.email}.")

    @app.cli.command("seed-demo")
    @click.option(
        "--scale",
        type=click.IntRange(1, 100),
        default=1,
        show_default=True,
        help="Times the district's size; 1 is the demo, 10 about a million bookings.",
    )
    def seed_demo_command(scale: int) -> None:
        """Load Blue Valley demo data; running it again changes nothing."""
        run_seed_demo(scale)

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Run every job once and stop (cron, tests).")
    def worker_command(once: bool) -> None:
        """Run the background jobs (mail, sweeps, reminders, offers) until stopped (SIGTERM)."""
        run_worker_command(app, once)


def run_seed_demo(scale: int) -> None:
    """`flask seed-demo`: the demo, then its scaled rows above scale 1."""
    from sharing.billing.daily import rebuild
    from sharing.billing.income import rebuild as rebuild_income
    from sharing.billing.income import rebuild_pairs
    from sharing.demo.scale import seed_scale
    from sharing.demo.seed import seed_demo

    # Without a mail server each mail is logged in full: the demo's own are not news.
    mail_log = logging.getLogger("sharing.mail")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    try:
        report = seed_demo()
        db.session.commit()
        grown = seed_scale(scale)
        db.session.commit()
        # The scaled rows are written by COPY, past the unit of work that keeps the rollup.
        rebuild()
        rebuild_income()
        rebuild_pairs()
        db.session.commit()
    finally:
        mail_log.setLevel(level)
    click.echo(report.summary())
    for kind, count in grown.items():
        click.echo(f"scale {scale}: {kind}: {count} written")


def run_worker_command(app: Flask, once: bool) -> None:
    """`flask worker`: this process runs the jobs, the site's own job threads stay off in it."""
    import signal
    import threading

    from sharing.core.jobs import STOP_KEY, run_jobs_once, run_worker, runner_name

    app.config["JOBS_IN_WEB"] = False
    if STOP_KEY in app.extensions:
        app.extensions[STOP_KEY].set()
    if once:
        for name, outcome in run_jobs_once(app, runner=runner_name("worker")).items():
            click.echo(f"{name}: {outcome}")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run_worker(
        app,
        poll_seconds=float(app.config["WORKER_POLL_SECONDS"]),
        sweep_seconds=max(float(app.config["NO_SHOW_SWEEP_SECONDS"]), 1.0),
        stop=stop,
    )
