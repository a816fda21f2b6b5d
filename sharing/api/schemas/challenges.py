"""Schemas of the 揭榜挂帅 board."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Money, PageArgs, RecordId, Whole, ZonedDateTime
from sharing.challenges.lifecycle import ApplicationStatus, ChallengeStatus
from sharing.challenges.models import ChallengeField
from sharing.challenges.services import status_of
from sharing.util.markdown import render_markdown

Length = ma.validate.Length


class ChallengeInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=Length(1, 200))
    description = ma.fields.String(load_default="", validate=Length(max=50_000))
    field = ma.fields.Enum(ChallengeField, by_value=True, required=True)
    budget = Money(required=True)
    deadline = ZonedDateTime(required=True)
    status = ma.fields.String(load_default="draft", validate=ma.validate.OneOf(["draft", "open"]))
    organisation = ma.fields.String()


class ChallengeSchema(ma.Schema):
    id = Whole()
    title = ma.fields.String()
    description = ma.fields.String()
    description_html = ma.fields.Function(lambda c: render_markdown(c.description))
    field = ma.fields.Enum(ChallengeField, by_value=True)
    budget = Money()
    deadline = ZonedDateTime()
    status = ma.fields.Function(lambda c: status_of(c).value)
    organisation = ma.fields.Function(lambda c: c.organisation.slug)
    organisation_name = ma.fields.Function(lambda c: c.organisation.name)
    awarded_application_id = Whole(allow_none=True)
    contract_amount = Money(allow_none=True)
    published_at = ZonedDateTime(allow_none=True)
    awarded_at = ZonedDateTime(allow_none=True)
    # The need it was published from (needs attach the link, see sharing.needs.models).
    need_id = ma.fields.Function(lambda c: c.need.id if getattr(c, "need", None) else None)


class BoardQuerySchema(PageArgs):
    q = ma.fields.String(load_default="", validate=Length(max=200))
    field = ma.fields.Enum(ChallengeField, by_value=True)
    status = ma.fields.Enum(ChallengeStatus, by_value=True)
    min_budget = Money()
    max_budget = Money()
    deadline_before = ZonedDateTime()


class ApplicationInSchema(ma.Schema):
    proposal = ma.fields.String(required=True, validate=Length(1, 50_000))
    team = ma.fields.String(load_default="", validate=Length(max=10_000))
    timeline = ma.fields.String(load_default="", validate=Length(max=10_000))
    quote = Money(required=True)


class ApplicationSchema(ma.Schema):
    id = Whole()
    challenge_id = Whole()
    applicant_id = Whole()
    applicant_name = ma.fields.Function(lambda a: a.applicant.name)
    organisation = ma.fields.Function(lambda a: a.organisation.slug)
    organisation_name = ma.fields.Function(lambda a: a.organisation.name)
    proposal = ma.fields.String()
    proposal_html = ma.fields.Function(lambda a: render_markdown(a.proposal))
    team = ma.fields.String()
    timeline = ma.fields.String()
    quote = Money()
    status = ma.fields.Enum(ApplicationStatus, by_value=True)
    created_at = ZonedDateTime()


class ApplicationListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ApplicationSchema))


class AwardInSchema(ma.Schema):
    application_id = RecordId(required=True)


class CompleteInSchema(ma.Schema):
    contract_amount = Money(required=True, positive=True)


class FigureSchema(ma.Schema):
    posted = Whole()
    open = Whole()
    awarded = Whole()
    completed = Whole()


class FieldFigureSchema(FigureSchema):
    field = ma.fields.String()


class OrganisationFigureSchema(FigureSchema):
    organisation = ma.fields.String()
    name = ma.fields.String()


class StatsSchema(FigureSchema):
    contract_total = Money()
    by_field = ma.fields.List(ma.fields.Nested(FieldFigureSchema))
    by_organisation = ma.fields.List(ma.fields.Nested(OrganisationFigureSchema))
