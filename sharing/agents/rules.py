"""The agents' rules as plain code: who may start a session now, and whether an agent is online.

No Flask, no database: the facts come in (the person's standing, the booking found, the agent's
mode), the decision goes out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# An agent that has said nothing for this long is offline (its heartbeat comes every minute).
OFFLINE_AFTER = timedelta(minutes=5)
# How far ahead of the platform's clock an agent's `at` may be (PC clocks drift).
CLOCK_SKEW = timedelta(minutes=5)

# The reasons of a refusal, in the order a person would meet them (api.md).
INSTRUMENT_UNAVAILABLE = "instrument_unavailable"
SUSPENDED = "suspended"
NOT_QUALIFIED = "not_qualified"
NO_BOOKING = "no_booking"
REASONS = (INSTRUMENT_UNAVAILABLE, SUSPENDED, NOT_QUALIFIED, NO_BOOKING)


def is_online(last_seen_at: datetime | None, now: datetime) -> bool:
    """Heard from within the last five minutes (five minutes of silence is offline)."""
    return last_seen_at is not None and now - last_seen_at < OFFLINE_AFTER


@dataclass(frozen=True)
class Standing:
    """What the platform knows of the person at the instrument, at the session's start."""

    known: bool  # an active account carries this e-mail or card number
    manages: bool = False  # the instrument's managers (maintenance, calibration) need no booking
    instrument_available: bool = True  # in service and in no downtime
    suspended: bool = False
    qualified: bool = True
    has_booking: bool = False  # a current approved booking (or the rest of one already used)


@dataclass(frozen=True)
class Decision:
    """Start a session (on the booking if there is one) or refuse with `reason`."""

    reason: str | None  # None: allowed
    booked: bool = False  # the session runs on the person's booking

    @property
    def allowed(self) -> bool:
        return self.reason is None


def refusal(standing: Standing) -> str | None:
    """The first reason the person may not use the instrument on a booking now, or None."""
    if not standing.known:
        return NO_BOOKING
    if standing.manages:
        return None
    if not standing.instrument_available:
        return INSTRUMENT_UNAVAILABLE
    if standing.suspended:
        return SUSPENDED
    if not standing.qualified:
        return NOT_QUALIFIED
    if not standing.has_booking:
        return NO_BOOKING
    return None


def decide(standing: Standing, logs_only: bool) -> Decision:
    """An interlock lets in only those with a current booking (and the instrument's managers);
    a logger (`logs_only`) also lets in those without one, whose use is then unbooked."""
    reason = refusal(standing)
    booked = standing.has_booking and standing.known
    if reason == NO_BOOKING and standing.known and logs_only:
        return Decision(None, booked=False)
    return Decision(reason, booked=booked and reason is None)
