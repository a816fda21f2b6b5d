"""Demo data that looks like the Blue Valley: invented holdings, plausible specs and prices."""
