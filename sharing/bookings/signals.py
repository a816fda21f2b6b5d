"""Booking events other features listen to (billing charges late cancellations)."""

from blinker import Namespace

signals = Namespace()

# Sent after a booking was cancelled, with booking=, actor= and at=.
booking_cancelled = signals.signal("booking-cancelled")

# Sent after bookings were written by core statements (not the unit of work, whose flushes
# other features watch), with bookings= (the persistent objects).
bookings_inserted = signals.signal("bookings-inserted")
