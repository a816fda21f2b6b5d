"""Campus sign-in pages: to the organisation's server and back (CAS 3.0, OpenID Connect)."""
