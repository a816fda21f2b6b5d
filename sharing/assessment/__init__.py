"""Evidence for the yearly assessment of large instruments: ratings, achievements, faults and
upkeep, and the yearly figures built from them and from the bookings and orders."""
