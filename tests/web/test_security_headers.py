"""Security headers on pages and API answers; a CSP that admits no inline script."""


def test_pages_and_api_carry_security_headers(client):
    for url in ("/", "/instruments", "/api/v1/categories"):
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": make.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development and tests run over plain http


def test_production_cookies_are_secure_and_hsts_is_sent(database_url):
    from sharing import create_app
    from tests.conftest import base_config

    app = create_app(base_config(database_url, SHARING_ENV="production"))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get(
        "/", headers={"X-Forwarded-Proto": "https"}, base_url="https://localhost"
    )
    assert "Strict-Transport-Security" in response.headers
    with app.app_context():
        app.extensions["sqlalchemy"].engine.dispose()
