"""iCalendar (RFC 5545) feeds of bookings, instruments and challenge deadlines.

A face, beside the pages and the API: it calls the features and nothing calls it.
"""
