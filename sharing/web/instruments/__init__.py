"""The instruments pages: routes and their forms."""
