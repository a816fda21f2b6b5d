"""Page guards shared by the faces' blueprints."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from sharing.auth.access import is_admin


def admin_required(view):
    """The page is for platform admins: others get 403, anonymous callers the sign-in."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not is_admin(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
