"""Bookings of instrument time and the downtimes that block it."""
