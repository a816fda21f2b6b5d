"""Busy time as others may see it: no personal data unless the viewer manages the instrument."""

from __future__ import annotations


def busy_entries(busy_with_bookings, detailed: bool) -> list[dict]:
    """`instrument_busy` rows as availability entries."""
    entries = []
    for busy, booking in busy_with_bookings:
        entry = {"start": busy.start, "end": busy.end, "kind": busy.kind}
        if detailed and booking is not None:
            entry |= {
                "booking_id": booking.id,
                "status": booking.status.value,
                "user": booking.user.name,
            }
        entries.append(entry)
    return entries
