"""企业出题、院所答题: companies' needs, the institutes that answer them, and what came of it."""
