"""Schemas of loans of sea-going gear, their items, checklists, components and operators."""

from __future__ import annotations

import marshmallow as ma

from sharing.api.base import Day, Money, RecordId, Whole, ZonedDateTime
from sharing.loans.lifecycle import (
    CheckStage,
    Condition,
    Delivery,
    DepositStatus,
    LoanStatus,
    Outcome,
)
from sharing.loans.services import quote_of

Length = ma.validate.Length
Range = ma.validate.Range


class WantedItemSchema(ma.Schema):
    instrument_id = RecordId(required=True)
    with_operator = ma.fields.Boolean(load_default=False)


class LoanInSchema(ma.Schema):
    """The body of POST /loans (`dry_run`: the quote, conflicts and violations, nothing held)."""

    items = ma.fields.List(
        ma.fields.Nested(WantedItemSchema), required=True, validate=Length(1, 20)
    )
    start_date = Day(required=True)
    end_date = Day(required=True)
    purpose = ma.fields.String(load_default="", validate=Length(max=2000))
    site = ma.fields.String(load_default="", validate=Length(max=300))
    delivery = ma.fields.Enum(Delivery, by_value=True, load_default=Delivery.PICKUP)
    account_id = RecordId(allow_none=True, load_default=None)
    dry_run = ma.fields.Boolean(load_default=False)


class LoanQuoteLineSchema(ma.Schema):
    description = ma.fields.String()
    quantity = ma.fields.Function(lambda line: f"{line.quantity.normalize():f}")
    unit_price = Money()
    amount = Money()


class LoanQuoteSchema(ma.Schema):
    lines = ma.fields.List(ma.fields.Nested(LoanQuoteLineSchema))
    deposit = Money()
    total = Money()


class CheckSchema(ma.Schema):
    component_id = Whole()
    name = ma.fields.Function(lambda c: c.component.name)
    serial = ma.fields.Function(lambda c: c.component.serial)
    present = ma.fields.Boolean()
    condition = ma.fields.Enum(Condition, by_value=True)
    note = ma.fields.String()
    at = ZonedDateTime()


class LoanItemSchema(ma.Schema):
    instrument_id = Whole()
    instrument_name = ma.fields.Function(lambda i: i.instrument.name)
    organisation = ma.fields.Function(lambda i: i.owner.slug)
    status = ma.fields.Enum(LoanStatus, by_value=True)
    with_operator = ma.fields.Boolean()
    operator_id = Whole(allow_none=True)
    operator_user_id = Whole(allow_none=True)
    day_rate = Money()
    mobilisation_fee = Money()
    operator_day_rate = Money(allow_none=True)
    deposit = Money()
    deposit_status = ma.fields.Enum(DepositStatus, by_value=True)
    deposit_received_on = Day(allow_none=True)
    deposit_reference = ma.fields.String()
    insurance_required = ma.fields.Boolean()
    replacement_value = Money(allow_none=True)
    blocked_until = Day()
    at_risk = ma.fields.Boolean()
    dispatched_at = ZonedDateTime(allow_none=True)
    tracking_number = ma.fields.String()
    returned_at = ZonedDateTime(allow_none=True)
    inspected_at = ZonedDateTime(allow_none=True)
    outcome = ma.fields.Enum(Outcome, by_value=True, allow_none=True)
    damage_amount = Money()
    inspection_note = ma.fields.String()
    decline_reason = ma.fields.String()
    incident_id = Whole(allow_none=True)
    checklists = ma.fields.Method("_checklists", metadata={"description": "{dispatch, return}"})

    def _checklists(self, item) -> dict:
        return {
            stage.value: CheckSchema(many=True).dump([c for c in item.checks if c.stage == stage])
            for stage in CheckStage
        }


class LoanSchema(ma.Schema):
    id = Whole()
    status = ma.fields.Enum(LoanStatus, by_value=True)
    start_date = Day()
    end_date = Day()
    days = Whole()
    borrower = ma.fields.Function(lambda loan: {"id": loan.borrower.id, "name": loan.borrower.name})
    organisation = ma.fields.Function(lambda loan: loan.organisation.slug)
    purpose = ma.fields.String()
    site = ma.fields.String()
    delivery = ma.fields.Enum(Delivery, by_value=True)
    account_id = Whole(allow_none=True)
    insurance_policy = ma.fields.String()
    at_risk = ma.fields.Function(lambda loan: any(item.at_risk for item in loan.items))
    items = ma.fields.List(ma.fields.Nested(LoanItemSchema))
    quote = ma.fields.Function(lambda loan: LoanQuoteSchema().dump(quote_of(loan)))
    created_at = ZonedDateTime()


class LoanDryRunSchema(ma.Schema):
    quote = ma.fields.Nested(LoanQuoteSchema)
    days = Whole()
    conflicts = ma.fields.List(ma.fields.Dict())
    violations = ma.fields.List(ma.fields.Dict())


class LoanListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(LoanSchema))
    total = Whole()
    page = Whole()
    per_page = Whole()


class LoanQuerySchema(ma.Schema):
    status = ma.fields.Enum(LoanStatus, by_value=True)
    instrument_id = RecordId()
    from_ = Day(data_key="from")
    to = Day()
    page = Whole(load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = Whole(load_default=20, validate=Range(min=1, max=100))


class ItemDecisionInSchema(ma.Schema):
    operator_id = RecordId(allow_none=True, load_default=None)


class ReasonInSchema(ma.Schema):
    reason = ma.fields.String(load_default="", validate=Length(max=2000))


class DepositInSchema(ma.Schema):
    instrument_id = RecordId(required=True)
    amount = Money(required=True)
    received_on = Day(required=True)
    reference = ma.fields.String(load_default="", validate=Length(max=120))


class LoanPatchSchema(ma.Schema):
    insurance_policy = ma.fields.String(required=True, validate=Length(max=200))


class CheckInSchema(ma.Schema):
    component_id = RecordId(required=True)
    present = ma.fields.Boolean(required=True)
    condition = ma.fields.Enum(Condition, by_value=True, load_default=Condition.OK)
    note = ma.fields.String(load_default="", validate=Length(max=1000))


class DispatchInSchema(ma.Schema):
    at = ZonedDateTime(load_default=None)
    checklist = ma.fields.List(
        ma.fields.Nested(CheckInSchema), load_default=list, validate=Length(max=200)
    )
    tracking_number = ma.fields.String(load_default="", validate=Length(max=120))


class ReturnInSchema(ma.Schema):
    at = ZonedDateTime(load_default=None)
    checklist = ma.fields.List(
        ma.fields.Nested(CheckInSchema), load_default=list, validate=Length(max=200)
    )


class InspectInSchema(ma.Schema):
    outcome = ma.fields.Enum(Outcome, by_value=True, required=True)
    damage_amount = Money(load_default=None)
    note = ma.fields.String(load_default="", validate=Length(max=2000))


class ExtendInSchema(ma.Schema):
    end_date = Day(required=True)


class ComponentInSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=Length(1, 200))
    serial = ma.fields.String(required=True, validate=Length(1, 100))
    required = ma.fields.Boolean(load_default=True)


class ComponentSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    name = ma.fields.String()
    serial = ma.fields.String()
    required = ma.fields.Boolean()


class ComponentListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ComponentSchema))


class OperatorInSchema(ma.Schema):
    user_id = RecordId(required=True)
    day_rate = Money(required=True)


class OperatorSchema(ma.Schema):
    id = Whole()
    instrument_id = Whole()
    user_id = Whole()
    name = ma.fields.Function(lambda o: o.user.name)
    day_rate = Money()


class OperatorListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(OperatorSchema))
