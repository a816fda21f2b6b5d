"""The pages' form class, and showing a service's refusal on the form that caused it."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict

from sharing.core.errors import DomainError, Readable
from sharing.extensions import db


class PageForm(FlaskForm):
    """A page's form reads what the browser posts, never a JSON body: Flask-WTF would put a
    JSON body's floats, booleans and lists into fields that only ever receive text (JSON is the
    API's, which has its own schemas). A JSON post reads as an empty form."""

    def __init__(self, *args, **kwargs):
        if not args and "formdata" not in kwargs and _posted_json_alone():
            kwargs["formdata"] = ImmutableMultiDict()
        super().__init__(*args, **kwargs)


def _posted_json_alone() -> bool:
    return request.is_json and not request.form and not request.files


def show_domain_error(form: FlaskForm, error: DomainError, fallback_field: str) -> None:
    """Roll back, then put the message, in the reader's language, under each field the error
    names (or under `fallback_field`), with the field's own messages where they are written for
    people (codes such as "required" are for API clients)."""
    db.session.rollback()
    named = error.details.get("fields") or {}
    targets = {name: messages for name, messages in named.items() if name in form._fields}
    for name, messages in (targets or {fallback_field: []}).items():
        listed = messages if isinstance(messages, list) else [messages]
        said = [_(m) for m in listed if isinstance(m, Readable)]
        form[name].errors = [*form[name].errors, error.localized, *said]


def run_step(act, success):
    """A page's button: run `act()`, commit and say `success` (text, or a function of what
    `act` returned); a refusal rolls back and is said instead. What `act` returned, or None."""
    try:
        result = act()
    except DomainError as error:
        db.session.rollback()
        flash(error.localized, "warning")
        return None
    db.session.commit()
    flash(success(result) if callable(success) else success, "success")
    return result
