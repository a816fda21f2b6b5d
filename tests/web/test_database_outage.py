"""With the database away: /healthz and the API answer 503 JSON, pages a friendly 503 page."""

import pytest
from sqlalchemy.exc import IntegrityError

from sharing import create_app
from tests.conftest import base_config

# Nothing listens on port 1: every connection is refused at once.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"


@pytest.fixture
def outage_client():
    app = create_app(base_config(UNREACHABLE))
    return app.test_client()


def test_healthz_says_the_database_is_unavailable(outage_client):
    response = outage_client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "degraded", "database": "unavailable"}


def test_healthz_is_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_api_answers_503_with_the_error_envelope(outage_client):
    for method, path in [("GET", "/api/v1/instruments"), ("POST", "/api/v1/auth/tokens")]:
        response = outage_client.open(
            path, method=method, json={"email": "a@b.org", "password": "secret-123"}
        )
        assert response.status_code == 503, path
        assert response.json["error"]["code"] == "unavailable"
        assert response.headers["Retry-After"] == "5"


def test_pages_answer_a_friendly_page_in_both_languages(outage_client):
    response = outage_client.get("/instruments")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "服务暂时不可用" in page and "briefly unavailable" in page
    assert "Traceback" not in page


@pytest.mark.fresh_app
def test_a_refused_write_is_a_lost_race_not_an_outage(app):
    """A constraint refusing a write means another request did it first: 409, never 503/500."""

    @app.get("/api/v1/boom")
    def boom():
        raise IntegrityError("INSERT", {}, Exception("duplicate key value"))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 409 and response.json["error"]["code"] == "duplicate"


@pytest.mark.fresh_app
@pytest.mark.postgresql_only  # needs a server connection that another session can terminate
def test_a_connection_lost_after_the_answer_does_not_turn_it_into_a_500(app):
    """The database dies between the view's last query and the end of the request: the answer
    the view made stands (its work was committed or only read), and the next request is served."""
    from sqlalchemy import text

    from sharing.extensions import db

    @app.get("/read-then-lose-the-connection")
    def read_then_lose_the_connection():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        # The request still holds its read transaction when the server ends the backend.
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return {"read": True}

    client = app.test_client()
    response = client.get("/read-then-lose-the-connection")
    assert response.status_code == 200
    assert response.json == {"read": True}
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}
