"""The orders pages."""
