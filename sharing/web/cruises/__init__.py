"""Pages of shared cruises: the public schedule, a cruise, applying, the costs."""
