"""Domain errors and their single mapping to HTTP answers (JSON under /api, pages elsewhere)."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, PendingRollbackError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("sharing.errors")
RETRY_AFTER_SECONDS = "5"

API_PREFIX = "/api/"


class Readable(str):
    """A field message written for people as well as programs: pages show it translated."""


def readable(text: str) -> Readable:
    """Mark a field message for translation (Babel extracts this function's argument)."""
    return Readable(text)


class DomainError(Exception):
    """A refusal the caller can act on; `status` and `code` say which.

    The message is an English template with `%(name)s` places filled from `params`: the API and
    the command line say it in English, pages in the reader's language (`localized`). Babel
    extracts the templates from these classes' calls (see scripts/i18n.sh).
    """

    status = 400
    code = "bad_request"

    def __init__(self, message: str, params: dict | None = None, **details):
        self.template = message
        self.params = params or {}
        self.message = message % self.params if self.params else message
        super().__init__(self.message)
        self.details = details

    @property
    def localized(self) -> str:
        """The message in the language of the current request."""
        return _(self.template, **self.params)

    def body(self) -> dict:
        """The JSON error envelope of api.md."""
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class BadRequest(DomainError):
    """Malformed input; `fields` maps each bad field to its messages."""

    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    """A clash with existing data: `code` is conflict, invalid_state, duplicate, ..."""

    status = 409

    def __init__(self, message: str, code: str = "conflict", params: dict | None = None, **details):
        super().__init__(message, params, **details)
        self.code = code


class RuleViolation(DomainError):
    """Broken booking or business rules, each in `violations` with its own code."""

    status, code = 422, "rule_violation"


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "rule_violation",
    429: "rate_limited",
    503: "unavailable",
}


def is_api_request() -> bool:
    """True for requests that must be answered in JSON."""
    return request.path.startswith(API_PREFIX) or request.path == "/healthz"


def _flatten_fields(messages: dict) -> dict:
    """webargs nests messages by location ({"json": {...}}); api.md wants field names."""
    flat: dict = {}
    for location_or_field, value in messages.items():
        if location_or_field in {"json", "query", "form", "files", "headers", "view_args"} and (
            isinstance(value, dict)
        ):
            flat.update(value)
        else:
            flat[location_or_field] = value
    return flat


def http_error_body(error: HTTPException) -> dict:
    """The envelope for a werkzeug HTTP error, keeping webargs' field messages."""
    status = error.code or 500
    body = {"code": HTTP_CODES.get(status, "error"), "message": error.description or error.name}
    data = getattr(error, "data", None) or {}
    if "messages" in data:
        body["code"] = "bad_request"
        body["message"] = "The request has invalid fields."
        body["fields"] = _flatten_fields(data["messages"])
    return {"error": body}


def handle_domain_error(error: DomainError):
    """The refusal as the JSON envelope (API) or an error page in the reader's language."""
    from sharing.core.transaction import discard_refused_work

    # Whatever the refused request flushed is not committed by anyone after it.
    discard_refused_work()
    if is_api_request():
        return jsonify(error.body()), error.status
    page = render_template("errors/error.html", status=error.status, message=error.localized)
    return page, error.status


def handle_integrity_error(error: IntegrityError):
    """A constraint refused a write that a concurrent request made first: 409, never 500.

    Services turn the refusals they expect into their own codes; this is the backstop for the
    rest, so that a lost race is never answered with a server error.
    """
    return handle_domain_error(_integrity_refusal(error))


def handle_data_error(error: DataError):
    """A value the column cannot hold (a backstop: input rules refuse these first)."""
    log.warning("value refused by the database: %s", str(error.orig).splitlines()[0])
    return handle_domain_error(BadRequest("A value is out of range.", fields={}))


def handle_database_error(error: Exception):
    """The database is away or refused the statement: nothing was committed, so 503."""
    from sharing.extensions import db

    if isinstance(error, DBAPIError) and not _is_connection_problem(error):
        raise error
    log.warning("database unavailable: %s", str(error).splitlines()[0])
    # The connection may be gone; the pool replaces it once the database is back.
    with contextlib.suppress(DBAPIError):
        db.session.rollback()
    headers = {"Retry-After": RETRY_AFTER_SECONDS}
    if is_api_request():
        body = {"error": {"code": "unavailable", "message": "The database is unavailable."}}
        return jsonify(body), 503, headers
    return render_template("errors/unavailable.html"), 503, headers


def handle_csrf_error(error: CSRFError):
    if is_api_request():
        body = {"error": {"code": "forbidden", "message": "CSRF token missing or invalid."}}
        return jsonify(body), 403
    message = _("Your form expired or was sent from elsewhere. Please try again.")
    return render_template("errors/error.html", status=400, message=message), 400


def handle_http_error(error: HTTPException):
    status = error.code or 500
    if is_api_request():
        response = jsonify(http_error_body(error))
        response.status_code = status
        headers = (getattr(error, "data", None) or {}).get("headers") or {}
        response.headers.extend(headers)
        return response
    return render_template("errors/error.html", status=status, message=None), status


# The one mapping from errors to answers; Flask picks the most specific class.
HANDLERS = {
    DomainError: handle_domain_error,
    IntegrityError: handle_integrity_error,
    DataError: handle_data_error,
    DBAPIError: handle_database_error,
    PendingRollbackError: handle_database_error,
    CSRFError: handle_csrf_error,
    HTTPException: handle_http_error,
}


def register_error_handlers(app: Flask) -> None:
    """Install the one mapping from errors to answers."""
    for error_class, handler in HANDLERS.items():
        app.register_error_handler(error_class, handler)


UNIQUE_MARKERS = ("unique", "duplicate key", "exclusion", "ex_bookings_no_overlap")


def _integrity_refusal(error: IntegrityError) -> Conflict:
    text = str(error.orig).lower()
    log.info("constraint refused a write: %s", text.splitlines()[0])
    if any(marker in text for marker in UNIQUE_MARKERS):
        return Conflict("Someone else did this a moment ago.", code="duplicate")
    return Conflict("The change conflicts with the data it refers to.", code="conflict")


def _is_connection_problem(error: DBAPIError) -> bool:
    """Lost, refused or busy connections (OperationalError by DB-API), not bad SQL or data."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    return error.connection_invalidated or isinstance(error, InterfaceError | OperationalError)
