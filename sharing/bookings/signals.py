"""Booking events other features listen to (billing charges late cancellations)."""

from blinker import Namespace

signals = Namespace()

# Sent after a booking was cancelled, with booking=, actor= and at=.
booking_cancelled = signals.signal("booking-cancelled")
