"""Operations (api.md: "Operations"): the mail outbox, for admins."""

from __future__ import annotations

from sharing.api.base import Blueprint, page_body
from sharing.api.schemas.operations import OutboxMailSchema, OutboxPageSchema, OutboxQuerySchema
from sharing.auth.access import is_admin
from sharing.core import outbox
from sharing.core.errors import Forbidden
from sharing.core.session import require_actor

bp = Blueprint("api_operations", __name__, description="Operations")


def _admin() -> None:
    if not is_admin(require_actor()):
        raise Forbidden("Only platform admins read the outbox.")


@bp.get("/outbox")
@bp.arguments(OutboxQuerySchema, location="query")
@bp.response(200, OutboxPageSchema)
def list_outbox(args):
    """Mail in the outbox, newest first (`status=pending|sent|failed`)."""
    _admin()
    return page_body(outbox.list_mails(args["status"], args["page"], args["per_page"]))


@bp.post("/outbox/<int:mail_id>/retry")
@bp.response(200, OutboxMailSchema)
def retry_mail(mail_id: int):
    """Deliver a failed (or waiting) mail at the next round; a sent one is 409."""
    _admin()
    return outbox.retry(mail_id)
