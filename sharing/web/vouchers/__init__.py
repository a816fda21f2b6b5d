"""Pages of the innovation vouchers."""
