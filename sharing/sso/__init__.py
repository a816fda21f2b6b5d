"""Campus sign-in servers (统一身份认证): each organisation's CAS or OpenID Connect server."""
