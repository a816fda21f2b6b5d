"""The request's one commit: every face's writes end here, never inside a service or a view.

A write request (POST, PUT, PATCH, DELETE) that answers below 400 is committed after its view;
one that is refused or fails is rolled back. Two things outlive a refusal on purpose and say so:
work a service marks with `keep_even_if_refused` (the count of wrong passwords), and the answers
that idempotency keys keep, which `after_commit` callbacks write in the same transaction as the
work they describe. A commit the database refuses becomes the same answer as any other refusal.
Read requests are never committed here: streamed answers still read through the session.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, g, request
from sqlalchemy.exc import DBAPIError, IntegrityError

from sharing.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEEP = "keep_even_if_refused"
RECORDERS = "answer_recorders"


def writes_on_get(view):
    """Mark a GET view that records something (the language chosen from a link): it is
    committed like a write request."""
    view.writes_on_get = True
    return view


def _is_write() -> bool:
    if request.method in WRITE_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "writes_on_get", False)


def keep_even_if_refused() -> None:
    """The work flushed so far is committed even when the request is then refused."""
    db.session.info[KEEP] = True


def discard_refused_work() -> None:
    """End a refused request's transaction: roll back, unless what it did must be kept."""
    if db.session.info.pop(KEEP, False):
        db.session.commit()
    else:
        db.session.rollback()


def record_with_answer(recorder: Callable[[Response], None]) -> None:
    """Write something about the answer (an idempotency key's) in the request's commit."""
    g.setdefault(RECORDERS, []).append(recorder)


def _commit(response: Response, recorders: list) -> Response:
    for recorder in recorders:
        recorder(response)
    try:
        db.session.commit()
    except (IntegrityError, DBAPIError) as error:
        db.session.rollback()
        # The app's own error handlers say it (409 for a lost race, 503 for a lost database).
        refused = current_app.make_response(current_app.handle_user_exception(error))
        return _refuse(refused, recorders)
    return response


def _refuse(response: Response, recorders: list) -> Response:
    discard_refused_work()
    if recorders:
        for recorder in recorders:
            recorder(response)
        db.session.commit()
    return response


def finish_request(response: Response) -> Response:
    """Commit a write request that succeeded, roll back one that did not."""
    if not _is_write():
        return response
    recorders = g.pop(RECORDERS, [])
    if response.status_code < 400:
        return _commit(response, recorders)
    return _refuse(response, recorders)


def install_commit_point(app: Flask) -> None:
    app.after_request(finish_request)
