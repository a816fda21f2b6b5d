"""The notification centre (api.md: Notifications)."""

from __future__ import annotations

from sharing.api.base import Blueprint, page_body
from sharing.api.schemas.notices import (
    NotificationPageSchema,
    NotificationQuerySchema,
    NotificationSchema,
    ReadAllSchema,
)
from sharing.core.session import require_actor
from sharing.notices import services

bp = Blueprint("api_notices", __name__, description="Notifications")


@bp.get("/notifications")
@bp.arguments(NotificationQuerySchema, location="query")
@bp.response(200, NotificationPageSchema)
def list_notifications(args):
    """The caller's notices, newest first (`unread=true`: only those not read yet)."""
    actor = require_actor()
    found = services.list_notices(actor, args["unread"], args["page"], args["per_page"])
    return {**page_body(found), "unread": services.unread_count(actor)}


@bp.post("/notifications/<int:notice_id>/read")
@bp.response(200, NotificationSchema)
def read_notification(notice_id: int):
    return services.mark_read(require_actor(), notice_id)


@bp.post("/notifications/read-all")
@bp.response(200, ReadAllSchema)
def read_all_notifications():
    return {"marked": services.mark_all_read(require_actor())}
