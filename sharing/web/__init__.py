"""HTML pages: registers every feature's page blueprint and the shared template helpers."""

from __future__ import annotations

from flask import Flask


def register_pages(app: Flask) -> None:
    from sharing.web.admin import bp as admin_bp
    from sharing.web.agents.cards import bp as cards_bp
    from sharing.web.agents.routes import bp as agents_bp
    from sharing.web.assessment.routes import bp as assessment_bp
    from sharing.web.auth.routes import bp as auth_bp
    from sharing.web.billing.receivables import bp as receivables_bp
    from sharing.web.billing.routes import bp as billing_bp
    from sharing.web.bookings.downtimes import bp as downtimes_bp
    from sharing.web.bookings.routes import bp as bookings_bp
    from sharing.web.challenges.routes import bp as challenges_bp
    from sharing.web.cruises.routes import bp as cruises_bp
    from sharing.web.funding.routes import bp as funding_bp
    from sharing.web.instruments.routes import bp as instruments_bp
    from sharing.web.loans.routes import bp as loans_bp
    from sharing.web.main import bp as main_bp
    from sharing.web.needs.outcomes import bp as outcomes_bp
    from sharing.web.needs.routes import bp as needs_bp
    from sharing.web.notices.routes import bp as notices_bp
    from sharing.web.operations import bp as operations_bp
    from sharing.web.orders.routes import bp as orders_bp
    from sharing.web.orgs.routes import bp as orgs_bp
    from sharing.web.sso.admin import bp as sso_admin_bp
    from sharing.web.sso.routes import bp as sso_bp
    from sharing.web.templating import register_template_helpers
    from sharing.web.training.routes import bp as training_bp
    from sharing.web.vouchers.routes import bp as vouchers_bp

    for blueprint in (
        main_bp,
        auth_bp,
        instruments_bp,
        bookings_bp,
        downtimes_bp,
        challenges_bp,
        billing_bp,
        receivables_bp,
        orders_bp,
        orgs_bp,
        admin_bp,
        operations_bp,
        notices_bp,
        training_bp,
        assessment_bp,
        needs_bp,
        outcomes_bp,
        vouchers_bp,
        funding_bp,
        sso_bp,
        sso_admin_bp,
        agents_bp,
        cards_bp,
        cruises_bp,
        loans_bp,
    ):
        app.register_blueprint(blueprint)
    register_template_helpers(app)
