"""The instrument catalog: instruments, categories, booking rules, rates, qualified users."""
