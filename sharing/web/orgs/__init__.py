"""The orgs pages."""
