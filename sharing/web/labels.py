"""Translatable display names of every enum the pages show: one home for each label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from sharing.auth.models import Role
from sharing.billing.models import ChargeKind
from sharing.bookings.lifecycle import BookingStatus
from sharing.challenges.lifecycle import ApplicationStatus, ChallengeStatus
from sharing.challenges.models import ChallengeField
from sharing.instruments.models import InstrumentStatus
from sharing.instruments.rules import CustomerCategory, RateUnit
from sharing.orders.lifecycle import OrderStatus
from sharing.orgs.models import OrgKind

ROLE_LABELS = {
    Role.ADMIN: _l("Platform admin"),
    Role.MANAGER: _l("Instrument manager"),
    Role.RESEARCHER: _l("Researcher"),
    Role.ENTERPRISE: _l("Enterprise user"),
}
KIND_LABELS = {
    OrgKind.INSTITUTE: _l("Research institute"),
    OrgKind.UNIVERSITY: _l("University"),
    OrgKind.ENTERPRISE: _l("Enterprise"),
    OrgKind.OPERATOR: _l("Platform operator"),
}
WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
CATEGORY_LABELS = {
    CustomerCategory.INTERNAL: _l("Internal"),
    CustomerCategory.ACADEMIC: _l("Academic"),
    CustomerCategory.ENTERPRISE: _l("Enterprise"),
}
UNIT_LABELS = {
    RateUnit.HOUR: _l("per hour"),
    RateUnit.SAMPLE: _l("per sample"),
    RateUnit.RUN: _l("per run"),
}
STATUS_LABELS = {
    InstrumentStatus.AVAILABLE: _l("Available"),
    InstrumentStatus.MAINTENANCE: _l("Under maintenance"),
    InstrumentStatus.RETIRED: _l("Retired"),
}
BOOKING_STATUS_LABELS = {
    BookingStatus.PENDING: _l("Awaiting approval"),
    BookingStatus.APPROVED: _l("Confirmed"),
    BookingStatus.REJECTED: _l("Declined"),
    BookingStatus.CANCELLED: _l("Cancelled"),
    BookingStatus.COMPLETED: _l("Completed"),
    BookingStatus.NO_SHOW: _l("No-show"),
}
BOOKING_STATUS_STYLES = {
    BookingStatus.PENDING: "warning",
    BookingStatus.APPROVED: "success",
    BookingStatus.REJECTED: "secondary",
    BookingStatus.CANCELLED: "secondary",
    BookingStatus.COMPLETED: "primary",
    BookingStatus.NO_SHOW: "danger",
}
CHALLENGE_FIELD_LABELS = {
    ChallengeField.MARINE_EQUIPMENT: _l("Marine equipment"),
    ChallengeField.MARINE_BIOMEDICINE: _l("Marine biomedicine"),
    ChallengeField.FISHERIES: _l("Fisheries and aquaculture"),
    ChallengeField.MARINE_INFORMATION: _l("Marine information"),
    ChallengeField.NEW_MATERIALS: _l("New materials"),
    ChallengeField.ENVIRONMENT_ENERGY: _l("Environment and energy"),
    ChallengeField.OTHER: _l("Other"),
}
CHALLENGE_STATUS_LABELS = {
    ChallengeStatus.DRAFT: _l("Draft"),
    ChallengeStatus.OPEN: _l("Open for applications"),
    ChallengeStatus.REVIEWING: _l("Under review"),
    ChallengeStatus.AWARDED: _l("Awarded, in progress"),
    ChallengeStatus.COMPLETED: _l("Completed"),
    ChallengeStatus.WITHDRAWN: _l("Withdrawn"),
}
CHALLENGE_STATUS_STYLES = {
    ChallengeStatus.DRAFT: "secondary",
    ChallengeStatus.OPEN: "success",
    ChallengeStatus.REVIEWING: "warning",
    ChallengeStatus.AWARDED: "primary",
    ChallengeStatus.COMPLETED: "dark",
    ChallengeStatus.WITHDRAWN: "light",
}
APPLICATION_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.SELECTED: _l("Selected to lead"),
    ApplicationStatus.NOT_SELECTED: _l("Not selected"),
}
CHARGE_KIND_LABELS = {
    ChargeKind.USAGE: _l("Usage"),
    ChargeKind.SAMPLE_TESTING: _l("Sample testing"),
    ChargeKind.NO_SHOW: _l("No-show"),
    ChargeKind.LATE_CANCELLATION: _l("Late cancellation"),
    ChargeKind.ADJUSTMENT: _l("Adjustment"),
}
ORDER_STATUS_LABELS = {
    OrderStatus.SUBMITTED: _l("Submitted"),
    OrderStatus.QUOTED: _l("Quoted"),
    OrderStatus.ACCEPTED: _l("Accepted"),
    OrderStatus.RECEIVED: _l("Samples received"),
    OrderStatus.IN_ANALYSIS: _l("In analysis"),
    OrderStatus.DELIVERED: _l("Results delivered"),
    OrderStatus.COMPLETED: _l("Completed"),
    OrderStatus.DECLINED: _l("Declined"),
    OrderStatus.CANCELLED: _l("Cancelled"),
}
