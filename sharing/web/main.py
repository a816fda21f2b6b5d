"""Home page, language switch and the health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import text

from sharing.core.transaction import writes_on_get
from sharing.extensions import db
from sharing.instruments.catalog import CatalogQuery, list_categories, search_instruments
from sharing.orgs.services import list_organisations
from sharing.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from sharing.web.safety import safe_next_url
from sharing.web.start import start_page

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Landing page: search box, categories, newest instruments, and the organisations and
    the alliance as counts with their links (a list of 200 badges buried the page on a phone)."""
    newest = search_instruments(CatalogQuery(per_page=6), with_rules=False)
    organisations = list_organisations()
    return render_template(
        "main/home.html",
        categories=list_categories(),
        organisation_count=len(organisations),
        alliance_count=sum(1 for organisation in organisations if organisation.alliance_member),
        newest=newest,
    )


@bp.get("/lang/<code>")
@writes_on_get
def set_language(code: str):
    """Remember the language in a cookie (and on the account when signed in)."""
    if code not in LANGUAGES:
        code = "zh"
    if current_user.is_authenticated:
        current_user.locale = code
    target = safe_next_url(request.args.get("next"), url_for("main.home"))
    response = make_response(redirect(target))
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/start")
@login_required
def start():
    """The signed-in person's start page: what needs them today, by role."""
    return render_template("start.html", page=start_page(current_user))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it on every page whatever the page links: answer instead of a 404."""
    return current_app.send_static_file("img/favicon.ico")


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure to reach the database means unavailable
        db.session.rollback()
        return jsonify({"status": "degraded", "database": "unavailable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
