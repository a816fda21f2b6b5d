"""Schemas of the evidence for assessors: ratings, incidents and achievements."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Day, DecimalText, PageArgs, RecordId, Whole, Year, ZonedDateTime
from sharing.assessment.models import (
    SCORES,
    AchievementKind,
    AchievementStatus,
    IncidentKind,
    IncidentStatus,
)


class RatingInSchema(ma.Schema):
    score = Whole(required=True, validate=ma.validate.OneOf(list(SCORES)))
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


class RatingSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    booking_id = Whole(allow_none=True)
    order_id = Whole(allow_none=True)
    score = Whole()
    comment = ma.fields.String()
    created_at = ZonedDateTime()


class RatingSummarySchema(ma.Schema):
    average = ma.fields.Float(allow_none=True)
    count = Whole()


class IncidentInSchema(ma.Schema):
    kind = ma.fields.Enum(IncidentKind, by_value=True, required=True)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    next_due_on = Day(load_default=None, allow_none=True)


class ResolveInSchema(ma.Schema):
    resolution = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class IncidentSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    kind = ma.fields.Enum(IncidentKind, by_value=True)
    description = ma.fields.String()
    status = ma.fields.Enum(IncidentStatus, by_value=True)
    reported_by = ma.fields.Function(lambda i: i.reported_by.name)
    created_at = ZonedDateTime()
    next_due_on = Day(allow_none=True)
    resolution = ma.fields.String()
    resolved_at = ZonedDateTime(allow_none=True)
    downtime_id = Whole(allow_none=True)


class IncidentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(IncidentSchema))


class AchievementInSchema(ma.Schema):
    kind = ma.fields.Enum(AchievementKind, by_value=True, required=True)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    year = Whole(required=True, validate=ma.validate.Range(1950, 2100))
    reference = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    organisation = ma.fields.String(load_default=None)
    instrument_ids = ma.fields.List(
        RecordId(), required=True, validate=ma.validate.Length(min=1, max=50)
    )
    invention = ma.fields.Boolean(load_default=False)


class AchievementSchema(ma.Schema):
    id = Whole()
    kind = ma.fields.Enum(AchievementKind, by_value=True)
    title = ma.fields.String()
    year = Whole()
    reference = ma.fields.String()
    invention = ma.fields.Boolean()
    organisation = ma.fields.Function(lambda a: a.organisation.slug)
    instrument_ids = ma.fields.Function(lambda a: [i.id for i in a.instruments])
    status = ma.fields.Enum(AchievementStatus, by_value=True)
    created_at = ZonedDateTime()


class AchievementQuerySchema(PageArgs):
    year = Year()
    instrument = RecordId()
    status = ma.fields.Enum(AchievementStatus, by_value=True)


class YearArgs(ma.Schema):
    year = Year(required=True)
    organisation = ma.fields.String()


class LargeInstrumentSchema(ma.Schema):
    instrument_id = Whole()
    name = ma.fields.String()
    organisation = ma.fields.String()
    national_code = ma.fields.String()
    original_value = DecimalText()
    effective_hours = DecimalText()
    external_hours = DecimalText()
    sharing_rate = DecimalText()
    samples = Whole()
    internal_income = DecimalText()
    external_income = DecimalText()
    users_served = Whole()
    organisations_served = Whole()
    trainees = Whole()
    achievements = Whole()
    rating = ma.fields.Method("_rating")

    def _rating(self, row) -> dict:
        found = row["rating"]
        average = None if found.average is None else float(found.average)
        return {"average": average, "count": found.count}


class ShipTimeFigures(ma.Schema):
    cruises = Whole()
    ship_days = Whole()
    external_ship_days = DecimalText()
    external_share = DecimalText()
    berth_days = Whole()


class ShipTimeVesselSchema(ShipTimeFigures):
    instrument_id = Whole()
    name = ma.fields.String()
    organisation = ma.fields.String()


class BerthDaysSchema(ma.Schema):
    organisation = ma.fields.String()
    organisation_name = ma.fields.String()
    berth_days = Whole()


class ShipTimeSchema(ShipTimeFigures):
    """The year's ship time of the report's vessels (completed cruises), beside the items."""

    vessels = ma.fields.List(ma.fields.Nested(ShipTimeVesselSchema))
    berth_days_by_organisation = ma.fields.List(ma.fields.Nested(BerthDaysSchema))


class LargeInstrumentReportSchema(ma.Schema):
    year = Whole()
    items = ma.fields.List(ma.fields.Nested(LargeInstrumentSchema))
    ship_time = ma.fields.Nested(ShipTimeSchema)
