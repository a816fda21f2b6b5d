"""Schemas of funding accounts (课题/经费卡) and their members."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Day, Money, RecordId, Whole, ZonedDateTime
from sharing.util.formatting import local_today

Length = ma.validate.Length


class AccountInSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=Length(1, 60))
    name = ma.fields.String(required=True, validate=Length(1, 200))
    organisation = ma.fields.String(required=True, validate=Length(1, 100))
    holder_id = RecordId(required=True)
    valid_from = Day(load_default=None)
    valid_until = Day(required=True)

    @ma.validates_schema
    def _not_blank(self, data, **kwargs):
        for name in ("code", "name"):
            if name in data and not data[name].strip():
                raise ma.ValidationError("must not be blank", name)


class MemberInSchema(ma.Schema):
    user_id = RecordId(required=True)


class MemberSchema(ma.Schema):
    user_id = Whole()
    name = ma.fields.Function(lambda m: m.user.name)
    approved_at = ZonedDateTime()
    last_used_at = ZonedDateTime(allow_none=True)


class AccountUseSchema(ma.Schema):
    month = ma.fields.String()
    user_id = Whole(allow_none=True)
    user_name = ma.fields.String()
    lines = Whole()
    amount = Money()


class AccountSchema(ma.Schema):
    id = Whole()
    code = ma.fields.String()
    name = ma.fields.String()
    organisation = ma.fields.Function(lambda a: a.organisation.slug)
    holder_id = Whole()
    holder_name = ma.fields.Function(lambda a: a.holder.name)
    valid_from = Day(allow_none=True)
    valid_until = Day()
    valid_today = ma.fields.Function(
        lambda a: (a.valid_from or local_today()) <= local_today() <= a.valid_until
    )
    members = ma.fields.List(ma.fields.Nested(MemberSchema))


class AccountDetailSchema(AccountSchema):
    """An account with what each member charged to it, per month, and the total."""

    usage = ma.fields.List(ma.fields.Nested(AccountUseSchema))
    charged = Money()


class AccountListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AccountSchema))


class UsableArgs(ma.Schema):
    on = Day(load_default=None)
