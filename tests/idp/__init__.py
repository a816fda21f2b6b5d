"""A throwaway Django project the test suite starts as a real campus sign-in server: a CAS 3.0
server (django-cas-server under /cas/) and an OpenID Connect provider (django-oidc-provider
under /openid/), with a harness (/_harness/) through which the tests create users and clients.
Started once per test session by tests/fixtures/idp.py; never part of the platform."""
