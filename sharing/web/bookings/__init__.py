"""The bookings pages: booking and the desks (routes), downtimes (downtimes), their forms."""
