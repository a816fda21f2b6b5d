"""Schemas of vessels, cruises, the applications to join them, their costs and duties."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma

from sharing.api.base import Day, DecimalText, Money, PageArgs, RecordId, Whole, ZonedDateTime
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus, ShareBy

Range = ma.validate.Range
# Whole square metres and berths a ship can have; days a cruise can last.
AREA = Range(0, 100_000)
COUNT = Range(0, 10_000)
STRICT_FLAG = {"truthy": {True}, "falsy": {False}}


def _text(max_length: int, min_length: int = 0, **kwargs):
    return ma.fields.String(validate=ma.validate.Length(min=min_length, max=max_length), **kwargs)


class VesselInSchema(ma.Schema):
    """A vessel's capacity (`"vessel"` of an instrument of category research-vessels)."""

    berths = Whole(required=True, validate=COUNT)
    deck_m2 = Whole(load_default=0, validate=AREA)
    lab_m2 = Whole(load_default=0, validate=AREA)
    home_port = _text(120, load_default="")
    length_m = DecimalText(places=1, maximum=Decimal(1000), load_default=Decimal("0"))
    endurance_days = Whole(load_default=0, validate=Range(0, 1000))


class VesselSchema(ma.Schema):
    berths = Whole()
    deck_m2 = Whole()
    lab_m2 = Whole()
    home_port = ma.fields.String()
    length_m = DecimalText(places=1)
    endurance_days = Whole()


class CruiseInSchema(ma.Schema):
    vessel_id = RecordId(required=True)
    name = _text(200, min_length=1, required=True)
    departs_on = Day(required=True)
    returns_on = Day(required=True)
    mobilisation_days = Whole(load_default=0, validate=Range(0, 60))
    port_from = _text(120, load_default="")
    port_to = _text(120, load_default="")
    area = _text(300, load_default="")
    chief_scientist_id = RecordId(required=True)
    apply_by = Day(required=True)
    day_rate = Money(required=True)
    share_by = ma.fields.Enum(ShareBy, by_value=True, load_default=ShareBy.BERTHS)
    data_due_days = Whole(load_default=60, validate=Range(1, 730))


class CruiseQuerySchema(PageArgs):
    status = ma.fields.Enum(CruiseStatus, by_value=True)
    from_ = Day(data_key="from")
    to = Day()
    vessel_id = RecordId()


class CruiseObligationSchema(ma.Schema):
    application_id = Whole(allow_none=True)
    kind = ma.fields.String()
    due_on = Day()
    done_on = Day(allow_none=True)
    overdue = ma.fields.Boolean()


class CruiseReportSchema(ma.Schema):
    summary = ma.fields.String(attribute="report_summary")
    stations = Whole(attribute="report_stations", allow_none=True)
    reported_on = Day(allow_none=True)


def _capacity(cruise) -> dict:
    vessel = cruise.capacity
    if vessel is None:
        return {"berths": 0, "deck_m2": 0, "lab_m2": 0}
    return {"berths": vessel.berths, "deck_m2": vessel.deck_m2, "lab_m2": vessel.lab_m2}


def capacity_left(cruise) -> dict:
    """The capacity less what is allocated (before allocation: less nothing)."""
    left = _capacity(cruise)
    for application in cruise.applications:
        if application.status == ApplicationStatus.ALLOCATED:
            left["berths"] -= application.allocated_berths or 0
            left["deck_m2"] -= application.allocated_deck_m2 or 0
            left["lab_m2"] -= application.allocated_lab_m2 or 0
    return left


class CruiseSchema(ma.Schema):
    id = Whole()
    vessel_id = Whole()
    vessel_name = ma.fields.Function(lambda c: c.vessel.name)
    name = ma.fields.String()
    status = ma.fields.Enum(CruiseStatus, by_value=True)
    departs_on = Day()
    returns_on = Day()
    returned_on = Day(allow_none=True)
    mobilisation_days = Whole()
    port_from = ma.fields.String()
    port_to = ma.fields.String()
    area = ma.fields.String()
    chief_scientist_id = Whole()
    chief_scientist_name = ma.fields.Function(lambda c: c.chief_scientist.name)
    apply_by = Day()
    day_rate = Money()
    share_by = ma.fields.Enum(ShareBy, by_value=True)
    data_due_days = Whole()
    capacity = ma.fields.Function(_capacity, metadata={"description": "{berths, deck_m2, lab_m2}"})
    capacity_left = ma.fields.Function(
        capacity_left, metadata={"description": "{berths, deck_m2, lab_m2}"}
    )
    applications = ma.fields.Function(lambda c: len(c.applications))
    cancel_reason = ma.fields.String()
    created_at = ZonedDateTime()


class CruiseDetailSchema(CruiseSchema):
    """One cruise, with its report and what its parties owe (the view sets `obligations`)."""

    obligations = ma.fields.List(ma.fields.Nested(CruiseObligationSchema))
    report = ma.fields.Function(lambda c: CruiseReportSchema().dump(c) if c.reported_on else None)


class CruiseEquipmentInSchema(ma.Schema):
    instrument_id = RecordId(required=True)
    with_operator = ma.fields.Boolean(load_default=False, **STRICT_FLAG)


class CruiseEquipmentSchema(ma.Schema):
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda e: e.instrument.name)
    with_operator = ma.fields.Boolean()


class CruiseApplicationInSchema(ma.Schema):
    project = _text(300, min_length=1, required=True)
    berths = Whole(load_default=0, validate=COUNT)
    deck_m2 = Whole(load_default=0, validate=AREA)
    lab_m2 = Whole(load_default=0, validate=AREA)
    station_hours = Whole(load_default=0, validate=Range(0, 100_000))
    equipment = ma.fields.List(
        ma.fields.Nested(CruiseEquipmentInSchema),
        load_default=list,
        validate=ma.validate.Length(max=20),
    )
    plan = _text(20000, load_default="")
    data_plan = _text(20000, load_default="")


class CruiseDataSchema(ma.Schema):
    description = ma.fields.String(attribute="data_description")
    url = ma.fields.String(attribute="data_url")
    embargo_until = Day(allow_none=True)
    done_on = Day(attribute="data_done_on", allow_none=True)


class CruiseApplicationSchema(ma.Schema):
    id = Whole()
    cruise_id = Whole()
    applicant_id = Whole()
    applicant_name = ma.fields.Function(lambda a: a.applicant.name)
    organisation = ma.fields.Function(lambda a: a.organisation.slug)
    organisation_name = ma.fields.Function(lambda a: a.organisation.name)
    project = ma.fields.String()
    berths = Whole()
    deck_m2 = Whole()
    lab_m2 = Whole()
    station_hours = Whole()
    equipment = ma.fields.List(ma.fields.Nested(CruiseEquipmentSchema))
    plan = ma.fields.String()
    data_plan = ma.fields.String()
    status = ma.fields.Enum(ApplicationStatus, by_value=True)
    allocated = ma.fields.Function(
        lambda a: (
            None
            if a.allocated_berths is None
            else {
                "berths": a.allocated_berths,
                "deck_m2": a.allocated_deck_m2,
                "lab_m2": a.allocated_lab_m2,
            }
        ),
        metadata={"description": "{berths, deck_m2, lab_m2} once allocated"},
    )
    loan_id = Whole(allow_none=True)
    data = ma.fields.Function(lambda a: CruiseDataSchema().dump(a) if a.data_done_on else None)
    created_at = ZonedDateTime()
    decided_at = ZonedDateTime(allow_none=True)


class CruiseApplicationListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CruiseApplicationSchema))


class AllocationInSchema(ma.Schema):
    application_id = RecordId(required=True)
    berths = Whole(validate=COUNT)
    deck_m2 = Whole(validate=AREA)
    lab_m2 = Whole(validate=AREA)


class AllocateInSchema(ma.Schema):
    allocations = ma.fields.List(
        ma.fields.Nested(AllocationInSchema), required=True, validate=ma.validate.Length(max=500)
    )


class CruiseShareSchema(ma.Schema):
    application_id = Whole()
    organisation = ma.fields.String()
    organisation_name = ma.fields.String()
    share = ma.fields.String(metadata={"description": "A fraction with four decimals"})
    amount = Money()


class CruiseCostsSchema(ma.Schema):
    days = Whole()
    day_rate = Money()
    total = Money()
    estimate = ma.fields.Boolean(
        metadata={"description": "Before allocation: shares of what was asked"}
    )
    shares = ma.fields.List(ma.fields.Nested(CruiseShareSchema))


class CruiseCompleteInSchema(ma.Schema):
    returned_on = Day(required=True)


class CruiseCancelInSchema(ma.Schema):
    reason = _text(1000, min_length=1, required=True)


class CruiseReportInSchema(ma.Schema):
    summary = _text(20000, min_length=1, required=True)
    stations = Whole(load_default=0, validate=Range(0, 100_000))


class CruiseDataInSchema(ma.Schema):
    description = _text(5000, min_length=1, required=True)
    url = ma.fields.URL(
        load_default="", validate=ma.validate.Length(max=500), schemes={"http", "https"}
    )
    embargo_until = Day(allow_none=True, load_default=None)
