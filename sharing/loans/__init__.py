"""Sea-going equipment lent by the day: loans of several items, kits, operators, handover."""
