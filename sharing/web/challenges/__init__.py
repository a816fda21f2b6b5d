"""The challenges pages: routes and their forms."""
