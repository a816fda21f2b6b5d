"""Training and qualifications: a user asks, a manager schedules the session on the instrument's
calendar, then grants (for the instrument's qualification_months) or declines."""
