"""Loan pages: the request of several items from the catalog, the loans, a loan, its handover."""
