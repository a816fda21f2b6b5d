"""Accounts endpoints: tokens, the caller, organisations, campus sign-in, categories."""

from __future__ import annotations

from sharing.api.base import Blueprint, PageArgs, page_body, page_schema
from sharing.api.schemas.accounts import (
    CalendarTokenSchema,
    CampusSignInSchema,
    CategoryListSchema,
    MeSchema,
    OrganisationSchema,
    TokenRequestSchema,
    TokenSchema,
    UserPatchSchema,
    UserSchema,
    login_url,
)
from sharing.auth.cards import set_card_number
from sharing.auth.models import User
from sharing.auth.services import (
    CampusSignInRequired,
    calendar_feed_url,
    issue_api_token,
    login_with_password,
    revoke_api_token,
    rotate_calendar_token,
)
from sharing.core.errors import BadRequest, NotFound
from sharing.core.pagination import Page
from sharing.core.session import current_api_token, require_actor
from sharing.extensions import db, limiter
from sharing.instruments.catalog import list_categories
from sharing.orgs.services import list_organisations
from sharing.sso.services import list_servers

bp = Blueprint("api_accounts", __name__, description="Accounts, organisations and categories")


@bp.post("/auth/tokens")
@bp.arguments(TokenRequestSchema)
@bp.response(201, TokenSchema)
@limiter.limit("10 per minute")
def create_token(body):
    """Exchange e-mail and password for a bearer token. Addresses of a campus sign-in have no
    password: 401 `invalid_credentials` with `"reason": "sso_required"` and the `login_url`
    (their tokens are made on the profile page)."""
    try:
        user = login_with_password(body["email"], body["password"])
    except CampusSignInRequired as required:
        required.details["login_url"] = login_url(required.server.organisation.slug)
        raise
    token = issue_api_token(user)
    return {"token": token, "user": user}


@bp.delete("/auth/tokens/current")
@bp.response(204)
def delete_current_token():
    """Revoke the bearer token this request carries."""
    require_actor()
    record = current_api_token()
    if record is None:
        raise BadRequest("This request carries no bearer token to revoke.")
    revoke_api_token(record)


def _me_body(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": user.organisation,
        "card_number": user.card_number,
        "calendar_feed_url": calendar_feed_url(user),
    }


@bp.get("/me")
@bp.response(200, MeSchema)
def me():
    """The caller's account and personal calendar feed URL."""
    return _me_body(require_actor())


@bp.post("/me/calendar-token")
@bp.response(200, CalendarTokenSchema)
def new_calendar_token():
    """Rotate the personal feed URL; the old URL stops working at once."""
    user = require_actor()
    rotate_calendar_token(user)
    return {"calendar_feed_url": calendar_feed_url(user)}


@bp.get("/organisations")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_schema(OrganisationSchema, "OrganisationPage"))
def organisations(args):
    """Every member organisation."""
    everyone = list_organisations()
    start = (args["page"] - 1) * args["per_page"]
    chunk = everyone[start : start + args["per_page"]]
    return page_body(Page(chunk, len(everyone), args["page"], args["per_page"]))


@bp.get("/auth/sso")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_schema(CampusSignInSchema, "CampusSignInPage"))
def campus_sign_in(args):
    """The organisations whose people sign in with their campus account (no credentials)."""
    everyone = list_servers()
    start = (args["page"] - 1) * args["per_page"]
    chunk = everyone[start : start + args["per_page"]]
    return page_body(Page(chunk, len(everyone), args["page"], args["per_page"]))


@bp.get("/categories")
@bp.response(200, CategoryListSchema)
def categories():
    """The instrument categories (reference data)."""
    return {"items": list_categories()}


@bp.patch("/users/<int:user_id>")
@bp.arguments(UserPatchSchema)
@bp.response(200, UserSchema)
def patch_user(body, user_id: int):
    """Set a person's campus card: admins, and managers of the person's organisation."""
    actor = require_actor()
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound("No user %(id)s.", {"id": user_id})
    return set_card_number(actor, person, body["card_number"])
