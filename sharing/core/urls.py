"""URL converters: `<int:...>` ids stop at the largest key the database holds."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from sharing.util.numbers import (
    MAX_INTEGER as MAX_RECORD_ID,  # primary keys are PostgreSQL integers
)


class RecordIdConverter(IntegerConverter):
    """An id in a path, in ASCII digits (`\\d` would match full-width ones, which `int()`
    reads); a larger number is simply not found (404), never a database error."""

    regex = r"[0-9]+"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_RECORD_ID)
        super().__init__(url_map, *args, **kwargs)


def install_converters(app) -> None:
    """Replace Flask's `int` converter before any route is added."""
    app.url_map.converters["int"] = RecordIdConverter
