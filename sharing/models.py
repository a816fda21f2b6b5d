"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from sharing.agents.models import InstrumentAgent
from sharing.assessment.models import Achievement, Incident, Rating
from sharing.assessment.yearpeople import InstrumentYear
from sharing.auth.models import ApiToken, ExternalIdentity, User
from sharing.billing.daily import InstrumentDay, InstrumentMonth, RollupMark
from sharing.billing.income import InstrumentIncome
from sharing.billing.models import Charge, ClosedMonth, Invoice, UsageSession
from sharing.bookings.models import (
    Booking,
    BookingEvent,
    Downtime,
    Suspension,
    WaitlistEntry,
)
from sharing.challenges.models import Application, Challenge, Milestone
from sharing.core.feedversions import FeedVersion
from sharing.core.idempotency import IdempotencyKey
from sharing.core.jobs import JobRun, JobRunTotal
from sharing.core.outbox import OutboxMail
from sharing.core.storage import StoredFile
from sharing.cruises.models import Cruise, CruiseApplication, CruiseEquipment, Vessel
from sharing.funding.models import AccountMember, FundingAccount
from sharing.instruments.attached import InstrumentPhoto, QualifiedUser
from sharing.instruments.models import Category, Instrument, OpenHours, Rate
from sharing.loans.models import Component, Loan, LoanCheck, LoanEvent, LoanItem, Operator
from sharing.needs.models import Expert, Meeting, Need, NeedEvent, Transfer, Visit
from sharing.notices.models import Notification
from sharing.orders.models import Order, OrderEvent, QuoteLine, ResultFile
from sharing.orgs.models import Organisation
from sharing.sso.models import SignInDomain, SignInServer
from sharing.training.models import TrainingRequest
from sharing.vouchers.models import VoucherClaim, VoucherLine, VoucherProgramme

__all__ = [
    "AccountMember",
    "Achievement",
    "ApiToken",
    "Application",
    "Booking",
    "BookingEvent",
    "Category",
    "Challenge",
    "Charge",
    "ClosedMonth",
    "Component",
    "Cruise",
    "CruiseApplication",
    "CruiseEquipment",
    "Downtime",
    "Expert",
    "ExternalIdentity",
    "FeedVersion",
    "FundingAccount",
    "IdempotencyKey",
    "Incident",
    "Instrument",
    "InstrumentAgent",
    "InstrumentDay",
    "InstrumentIncome",
    "InstrumentMonth",
    "InstrumentPhoto",
    "InstrumentYear",
    "Invoice",
    "JobRun",
    "JobRunTotal",
    "Loan",
    "LoanCheck",
    "LoanEvent",
    "LoanItem",
    "Meeting",
    "Milestone",
    "Need",
    "NeedEvent",
    "Notification",
    "OpenHours",
    "Operator",
    "Order",
    "OrderEvent",
    "Organisation",
    "OutboxMail",
    "QualifiedUser",
    "QuoteLine",
    "Rate",
    "Rating",
    "ResultFile",
    "RollupMark",
    "SignInDomain",
    "SignInServer",
    "StoredFile",
    "Suspension",
    "TrainingRequest",
    "Transfer",
    "UsageSession",
    "User",
    "Vessel",
    "Visit",
    "VoucherClaim",
    "VoucherLine",
    "VoucherProgramme",
    "WaitlistEntry",
]
