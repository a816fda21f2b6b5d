"""iCalendar (RFC 5545) feeds of bookings, instruments and challenge deadlines, and .ics import."""
