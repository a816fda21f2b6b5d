"""Booking operations, one job a module: requests, decisions, listings, availability, downtimes.

Load, decide with the pure rules, persist; never commit. Callers import from here.
"""

from sharing.bookings.services.availability import (
    find_free_slots,
    instrument_busy,
    load_busy,
)
from sharing.bookings.services.downtimes import (
    add_downtime,
    add_previewed_downtimes,
    affected_bookings,
    calendar_version,
    cancel_for_downtime,
    delete_downtime,
    get_downtime,
    list_downtimes,
    preview_downtimes,
)
from sharing.bookings.services.listings import (
    BookingQuery,
    count_pending_for_manager,
    list_bookings,
    list_pending_for_manager,
)
from sharing.bookings.services.recorded import book_recorded_use
from sharing.bookings.services.requesting import (
    SUGGESTIONS,
    Preview,
    Refusal,
    Repeat,
    lock_instrument,
    occurrences,
    preview_booking,
    request_booking,
)
from sharing.bookings.services.standing import (
    booked_in_weeks,
    is_suspended,
    requester_for,
)
from sharing.bookings.services.transitions import (
    DECISIONS,
    approve_booking,
    cancel_booking,
    decide_many,
    get_booking,
    record_transition,
    reject_booking,
)
from sharing.bookings.services.waitlist import (
    accept_offer,
    get_entry,
    join_waitlist,
    leave_waitlist,
    offer_freed,
    own_entries,
    position,
    sweep_offers,
)

__all__ = [
    "DECISIONS",
    "QUOTA_LOOKBACK",
    "SUGGESTIONS",
    "BookingQuery",
    "Preview",
    "Refusal",
    "Repeat",
    "accept_offer",
    "add_downtime",
    "add_previewed_downtimes",
    "affected_bookings",
    "approve_booking",
    "book_recorded_use",
    "booked_in_weeks",
    "calendar_version",
    "cancel_booking",
    "cancel_for_downtime",
    "count_pending_for_manager",
    "decide_many",
    "delete_downtime",
    "find_free_slots",
    "get_booking",
    "get_downtime",
    "get_entry",
    "instrument_busy",
    "is_suspended",
    "join_waitlist",
    "leave_waitlist",
    "list_bookings",
    "list_downtimes",
    "list_pending_for_manager",
    "load_busy",
    "lock_instrument",
    "occurrences",
    "offer_freed",
    "own_entries",
    "position",
    "preview_booking",
    "preview_downtimes",
    "record_transition",
    "reject_booking",
    "request_booking",
    "requester_for",
    "sweep_offers",
]
