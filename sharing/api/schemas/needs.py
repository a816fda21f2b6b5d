"""Schemas of needs, visits, transfers, experts, milestones, the alliance and the impact figures."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Day, DecimalText, Money, PageArgs, RecordId, Whole, ZonedDateTime
from sharing.api.schemas.accounts import SignInSettingsSchema
from sharing.challenges.lifecycle import MilestoneStatus
from sharing.challenges.models import ChallengeField
from sharing.needs.impact import COUNTS
from sharing.needs.models import NeedStatus, TransferKind
from sharing.orgs.models import AllianceKind

Length = ma.validate.Length
Field = ma.fields.Enum(ChallengeField, by_value=True)


class DateRangeArgs(PageArgs):
    """`from` and `to` as YYYY-MM-DD, both days included."""

    start = Day(data_key="from", load_default=None)
    end = Day(data_key="to", load_default=None)

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ma.ValidationError("'from' is after 'to'.", "from")


class ImpactArgs(ma.Schema):
    start = Day(data_key="from", load_default=None)
    end = Day(data_key="to", load_default=None)

    @ma.validates_schema
    def _in_order(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ma.ValidationError("'from' is after 'to'.", "from")


def _org(attribute: str):
    return ma.fields.Function(
        lambda obj: getattr(obj, attribute).slug if getattr(obj, attribute) else None
    )


def _org_name(attribute: str):
    return ma.fields.Function(
        lambda obj: getattr(obj, attribute).name if getattr(obj, attribute) else None
    )


class VisitInSchema(ma.Schema):
    company = ma.fields.String(required=True, validate=Length(1, 40))
    date = Day(required=True)
    notes = ma.fields.String(load_default="", validate=Length(max=10_000))


class VisitSchema(ma.Schema):
    id = Whole()
    company = _org("company")
    company_name = _org_name("company")
    date = Day(attribute="visited_on")
    notes = ma.fields.String()
    recorded_by = ma.fields.Function(lambda v: v.recorded_by.name)
    created_at = ZonedDateTime()


class NeedInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=Length(1, 200))
    description = ma.fields.String(load_default="", validate=Length(max=20_000))
    field = ma.fields.Enum(ChallengeField, by_value=True, required=True)
    company = ma.fields.String(validate=Length(1, 40))


class NeedQuerySchema(PageArgs):
    status = ma.fields.Enum(NeedStatus, by_value=True)
    field = ma.fields.Enum(ChallengeField, by_value=True)
    q = ma.fields.String(load_default="", validate=Length(max=200))
    company = ma.fields.String(validate=Length(1, 40))


class MeetingInSchema(ma.Schema):
    date = Day(required=True)
    notes = ma.fields.String(load_default="", validate=Length(max=10_000))


class MeetingSchema(ma.Schema):
    id = Whole()
    need_id = Whole()
    # The need's stage after the meeting: in_talks (对接).
    status = ma.fields.Function(lambda m: m.need.status.value)
    date = Day(attribute="held_on")
    notes = ma.fields.String()
    recorded_by = ma.fields.Function(lambda m: m.recorded_by.name)


class ContractInSchema(ma.Schema):
    organisation = ma.fields.String(load_default=None, validate=Length(1, 40))
    amount = Money(required=True, positive=True)
    signed_on = Day(required=True)


class CloseInSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=Length(1, 5000))


class PublishInSchema(ma.Schema):
    budget = Money(load_default=None)
    deadline = ZonedDateTime(load_default=None)


class NeedEventSchema(ma.Schema):
    action = ma.fields.String()
    from_status = ma.fields.Enum(NeedStatus, by_value=True, allow_none=True)
    to_status = ma.fields.Enum(NeedStatus, by_value=True)
    actor = ma.fields.Function(lambda e: e.actor.name)
    notes = ma.fields.String(attribute="note")
    # The name before api.md's third round, kept for the scripts that read it.
    note = ma.fields.Function(lambda e: e.note)
    at = ZonedDateTime()


class ContractSchema(ma.Schema):
    organisation = _org("contract_org")
    organisation_name = _org_name("contract_org")
    amount = Money(attribute="contract_amount")
    signed_on = Day()


class SuggestionSchema(ma.Schema):
    kind = ma.fields.String()
    id = Whole()
    name = ma.fields.String()
    score = ma.fields.Float()
    why = ma.fields.String()
    # The same reasons one by one (added in the fourth round: v1 readers keep `why`).
    reasons = ma.fields.List(ma.fields.String())


class NeedSchema(ma.Schema):
    id = Whole()
    title = ma.fields.String()
    description = ma.fields.String()
    field = Field
    status = ma.fields.Enum(NeedStatus, by_value=True)
    company = _org("company")
    company_name = _org_name("company")
    visit_id = Whole(allow_none=True)
    collected_on = Day()
    claimed_by = _org("claimed_by_org")
    claimed_by_name = _org_name("claimed_by_org")
    claimed_on = Day(allow_none=True)
    talks_on = Day(allow_none=True)
    contract = ma.fields.Method("_contract")
    closed_reason = ma.fields.String()
    challenge_id = Whole(allow_none=True)
    created_at = ZonedDateTime()

    def _contract(self, need):
        return ContractSchema().dump(need) if need.signed_on else None


class NeedDetailSchema(NeedSchema):
    meetings = ma.fields.List(ma.fields.Nested(MeetingSchema))
    history = ma.fields.List(ma.fields.Nested(NeedEventSchema), attribute="events")
    suggestions = ma.fields.List(ma.fields.Nested(SuggestionSchema))


class StageCountsSchema(ma.Schema):
    counts = ma.fields.Dict(keys=ma.fields.String(), values=Whole())


class FittingNeedSchema(ma.Schema):
    need_id = Whole()
    title = ma.fields.String()
    score = ma.fields.Float()
    why = ma.fields.String()


class FittingNeedListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(FittingNeedSchema))


class SuggestionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestionSchema))


class MilestoneInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=Length(1, 200))
    due = Day(required=True)
    amount = Money(required=True, positive=True)


class DeliverInSchema(ma.Schema):
    note = ma.fields.String(load_default="", validate=Length(max=10_000))


class RejectInSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=Length(1, 5000))


class MilestoneSchema(ma.Schema):
    id = Whole()
    challenge_id = Whole()
    title = ma.fields.String()
    due = Day()
    amount = Money()
    status = ma.fields.Enum(MilestoneStatus, by_value=True)
    delivery_note = ma.fields.String()
    delivered_at = ZonedDateTime(allow_none=True)
    rejection_reason = ma.fields.String()
    decided_at = ZonedDateTime(allow_none=True)


class MilestoneListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MilestoneSchema))


class TransferInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=Length(1, 300))
    kind = ma.fields.Enum(TransferKind, by_value=True, required=True)
    from_organisation = ma.fields.String(required=True, validate=Length(1, 40))
    to_organisation = ma.fields.String(required=True, validate=Length(1, 40))
    amount = Money(required=True)
    signed_on = Day(required=True)
    need_id = RecordId(load_default=None, allow_none=True)
    challenge_id = RecordId(load_default=None, allow_none=True)


class TransferSchema(ma.Schema):
    id = Whole()
    title = ma.fields.String()
    kind = ma.fields.Enum(TransferKind, by_value=True)
    from_organisation = _org("from_org")
    from_organisation_name = _org_name("from_org")
    to_organisation = _org("to_org")
    to_organisation_name = _org_name("to_org")
    amount = Money()
    signed_on = Day()
    need_id = Whole(allow_none=True)
    challenge_id = Whole(allow_none=True)


class ExpertInSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=Length(1, 120))
    title = ma.fields.String(load_default="", validate=Length(max=120))
    organisation = ma.fields.String(validate=Length(1, 40))
    fields = ma.fields.List(ma.fields.Enum(ChallengeField, by_value=True), load_default=list)
    expertise = ma.fields.String(load_default="", validate=Length(max=5000))
    instruments = ma.fields.List(RecordId(), load_default=list, validate=Length(max=100))


class ExpertQuerySchema(PageArgs):
    q = ma.fields.String(load_default="", validate=Length(max=200))
    field = ma.fields.Enum(ChallengeField, by_value=True)
    organisation = ma.fields.String(validate=Length(1, 40))


class ExpertSchema(ma.Schema):
    id = Whole()
    name = ma.fields.String()
    title = ma.fields.String()
    organisation = _org("organisation")
    organisation_name = _org_name("organisation")
    fields = ma.fields.Function(lambda e: [f.value for f in e.field_list])
    expertise = ma.fields.String()
    instruments = ma.fields.Function(
        lambda e: [{"id": i.id, "name": i.name} for i in e.instruments]
    )


class OrganisationPatchSchema(ma.Schema):
    alliance_member = ma.fields.Boolean()
    alliance_kind = ma.fields.Enum(AllianceKind, by_value=True, allow_none=True)
    joined_on = Day(allow_none=True)
    description = ma.fields.String(validate=Length(max=10_000))
    fields_of_work = ma.fields.String(validate=Length(max=5000))
    registered_city = ma.fields.String(validate=Length(max=40))
    sme = ma.fields.Boolean()
    high_tech = ma.fields.Boolean()
    related_to = ma.fields.List(ma.fields.String(validate=Length(1, 40)), validate=Length(max=50))
    # Campus sign-in (api.md): null removes it.
    sso = ma.fields.Nested(SignInSettingsSchema, allow_none=True)


def _figures_schema(name: str) -> type[ma.Schema]:
    fields = {key: Whole() for key in COUNTS}
    fields["transfer_amount"] = Money()
    fields["contract_amount"] = Money()
    return ma.Schema.from_dict(fields, name=name)


ImpactFiguresSchema = _figures_schema("ImpactFigures")


class ImpactSchema(ImpactFiguresSchema):
    start = Day(data_key="from")
    end = Day(data_key="to")
    previous = ma.fields.Nested(ImpactFiguresSchema)
    growth = ma.fields.Dict(keys=ma.fields.String(), values=DecimalText(allow_none=True))
