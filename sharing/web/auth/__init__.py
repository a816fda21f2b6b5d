"""The auth pages: routes and their forms."""
