"""Busy time as others may see it: no personal data unless the viewer manages the instrument."""

from __future__ import annotations


def busy_entries(busy_with_bookings, detailed: bool, viewer_id: int | None = None) -> list[dict]:
    """`instrument_busy` rows as availability entries: who booked only for managers, the
    viewer's own bookings marked `mine`, and where a booking ends before its buffer does."""
    entries = []
    for busy, booking in busy_with_bookings:
        entry = {"start": busy.start, "end": busy.end, "kind": busy.kind}
        if booking is not None and booking.end < busy.end:
            entry["booked_until"] = booking.end  # the rest is the instrument's buffer
        if booking is not None and booking.user_id == viewer_id:
            entry |= {"mine": True, "booking_id": booking.id, "status": booking.status.value}
        if detailed and booking is not None:
            entry |= {
                "booking_id": booking.id,
                "status": booking.status.value,
                "user": booking.user.name,
            }
        entries.append(entry)
    return entries


def loan_entries(busy, detailed: bool) -> list[dict]:
    """Days loans hold (sharing.loans) as availability entries: whole days, kind "loan"; which
    loan only for the instrument's managers."""
    return [
        {"start": b.start, "end": b.end, "kind": "loan"} | ({"loan_id": b.ref} if detailed else {})
        for b in busy
    ]
