"""Blue Valley Instrument Sharing: the Flask application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from sharing.config import Settings, build_flask_config
from sharing.core.logs import configure_logging, install_request_logging
from sharing.core.metrics import install_metrics
from sharing.core.requestguard import install_request_guard
from sharing.core.transaction import install_commit_point
from sharing.core.urls import install_converters
from sharing.util.timeutil import load_zone

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment, then `config` on top (tests pass theirs)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    flask_config, warnings = build_flask_config(
        Settings.from_environ(), app.instance_path, overrides=config
    )
    app.config.update(flask_config)
    app.config["PLATFORM_ZONE"] = load_zone(app.config["SHARING_TIMEZONE"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure_logging(app)
    for warning in warnings:
        logging.getLogger("sharing").warning(warning)

    install_converters(app)
    install_request_logging(app)  # first, so that even refused requests carry their id
    install_metrics(app)  # then, so that refused requests are counted and timed too
    install_request_guard(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_signals(app)
    register_jobs(app)
    # Last, so that it runs first among the after-request hooks: the log sees the final answer.
    install_commit_point(app)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    return app


# What the first visitors open: compiled at start-up (a tenth of a second or more each).
FIRST_TEMPLATES = (
    "base.html",
    "macros/forms.html",
    "macros/suggestions.html",
    "main/home.html",
    "auth/login.html",
    "start.html",
    "instruments/catalog.html",
    "instruments/detail.html",
    "needs/desk.html",
    "needs/new.html",
    "needs/detail.html",
)


def warm_up(app: Flask) -> float | None:
    """What a server process does once it has its app and before it takes a request (gunicorn's
    post_worker_init): load jieba's dictionary, build the matching indexes, run a catalog search
    in either language and compile the first pages' templates, which the first search and the
    first need read would otherwise wait for (seconds). The seconds it took; None when
    WARM_AT_START is off. A database not readable yet (not migrated) leaves its part to the
    first request."""
    if not app.config["WARM_AT_START"]:
        return None
    import time

    from sharing.extensions import db
    from sharing.instruments.catalog import CatalogQuery, search_instruments
    from sharing.needs import indexes, ranking

    started = time.perf_counter()
    log = logging.getLogger("sharing")
    ranking.warm()
    with app.app_context():
        try:
            indexes.warm()
            search_instruments(CatalogQuery(q="电镜"), with_rules=False)
            search_instruments(CatalogQuery(q="electron microscope", english_order=True))
        except Exception:  # a server must start even if it cannot warm: requests pay instead
            log.warning("not warmed at start-up: the database could not be read", exc_info=True)
            db.session.rollback()
        finally:
            db.session.remove()
    for name in FIRST_TEMPLATES:
        app.jinja_env.get_template(name)
    took = time.perf_counter() - started
    log.info("warmed in %.0f ms: tokenizer, matching, catalog search, templates", took * 1000)
    return took


def register_signals(app: Flask) -> None:
    """Features that hear of each other's events: wired here, never by an import's side effect.

    Blinker keeps one connection per receiver, so a second app in the same process (tests)
    adds none.
    """
    from sharing.assessment.yearpeople import days_rolled_up
    from sharing.billing.daily import days_rolled_up as rolled_up
    from sharing.billing.dailywatch import install_rollup_watch
    from sharing.billing.income import install_income_watch
    from sharing.billing.services import charge_late_cancellation
    from sharing.bookings.signals import booking_cancelled
    from sharing.core.mail import mails_queued
    from sharing.notices.services import copy_mails

    booking_cancelled.connect(charge_late_cancellation)
    mails_queued.connect(copy_mails)
    install_rollup_watch()
    install_income_watch()
    rolled_up.connect(days_rolled_up)


def register_jobs(app: Flask) -> None:
    """The outbox and each feature's background work: run by `flask worker`, or inside the site
    unless JOBS_IN_WEB=0 (NO_SHOW_SWEEP_SECONDS=0: no periodic round there)."""
    from sharing.assessment.jobs import JOBS as ASSESSMENT_JOBS
    from sharing.billing.jobs import JOBS as BILLING_JOBS
    from sharing.bookings.jobs import JOBS as BOOKING_JOBS
    from sharing.challenges.jobs import JOBS as CHALLENGE_JOBS
    from sharing.core.jobs import CORE_JOBS, start_background_jobs
    from sharing.core.jobs import register_jobs as register
    from sharing.cruises.jobs import JOBS as CRUISE_JOBS
    from sharing.loans.jobs import JOBS as LOAN_JOBS
    from sharing.training.jobs import JOBS as TRAINING_JOBS

    register(app, CORE_JOBS)
    register_counted_records(app)
    register(
        app,
        (
            *BILLING_JOBS,
            *BOOKING_JOBS,
            *TRAINING_JOBS,
            *CHALLENGE_JOBS,
            *ASSESSMENT_JOBS,
            *LOAN_JOBS,
            *CRUISE_JOBS,
        ),
    )
    start_background_jobs(app)


def register_counted_records(app: Flask) -> None:
    """The records /metrics counts, by their tables."""
    from sharing.billing.models import Charge
    from sharing.bookings.models import Booking
    from sharing.core.metrics import register_counted
    from sharing.loans.models import Loan

    register_counted(app, "sharing_bookings_created", "Bookings created.", Booking.__tablename__)
    register_counted(app, "sharing_charges_created", "Charges written.", Charge.__tablename__)
    register_counted(app, "sharing_loans_created", "Loans requested.", Loan.__tablename__)


def register_extensions(app: Flask) -> None:
    """Bind every extension of `extensions.py` to this app."""
    from sharing import models  # noqa: F401 - every model must be known before migrations
    from sharing.auth.services import load_session_user, mark_token_used, resolve_api_token
    from sharing.core.dbsetup import configure_engine, end_sessions_safely, engine_options
    from sharing.core.session import ActorLoaders, init_login
    from sharing.extensions import (
        CONTENT_SECURITY_POLICY,
        babel,
        csrf,
        db,
        limiter,
        migrate,
        talisman,
    )
    from sharing.web.i18n import select_locale, select_timezone
    from sharing.web.translations import install_template_gettext

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    )
    db.init_app(app)
    configure_engine(app)
    end_sessions_safely(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    limiter.init_app(app)
    production = app.config["SHARING_ENV"] == "production"
    # TLS ends at the reverse proxy: no redirect here; HSTS and secure cookies in production.
    talisman.init_app(
        app,
        force_https=False,
        strict_transport_security=production,
        session_cookie_secure=production,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    init_login(app, ActorLoaders(load_session_user, resolve_api_token, mark_token_used))


def register_blueprints(app: Flask) -> None:
    """Pages first, then the calendar feeds, then the JSON API (through smorest, for the
    OpenAPI file): three faces over the same features, none importing another."""
    from sharing.api import register_api
    from sharing.feeds.routes import bp as feeds_bp
    from sharing.web import register_pages

    register_pages(app)
    app.register_blueprint(feeds_bp)
    register_api(app)


def register_error_handlers(app: Flask) -> None:
    from sharing.core.errors import register_error_handlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from sharing.cli import register_cli

    register_cli(app)
