"""Showing a service's refusal on the form that caused it."""

from __future__ import annotations

from flask_wtf import FlaskForm

from sharing.errors import DomainError
from sharing.extensions import db


def show_domain_error(form: FlaskForm, error: DomainError, fallback_field: str) -> None:
    """Roll back, then put the error under each field it names (or under `fallback_field`)."""
    db.session.rollback()
    named = error.details.get("fields") or {}
    targets = {name: messages for name, messages in named.items() if name in form._fields}
    if not targets:
        targets = {fallback_field: [error.message]}
    for name, messages in targets.items():
        field = form[name]
        details = [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]
        field.errors = [*field.errors, error.message, *details]
