"""The bookings pages: routes and their forms."""
