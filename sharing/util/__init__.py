"""Pure helpers: no database, no feature, nothing of the platform above them."""
