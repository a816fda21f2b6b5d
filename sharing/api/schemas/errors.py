"""The error envelope of api.md, documented as every operation's default response."""

from __future__ import annotations

import marshmallow as ma


class ErrorBodySchema(ma.Schema):
    """`code` and `message` always; details such as `fields` or `violations` by kind of error."""

    class Meta:
        unknown = ma.INCLUDE  # documented as additionalProperties: true

    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema, required=True)
