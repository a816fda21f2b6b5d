"""Configuration comes from the environment at create_app time."""

import pytest

from sharing.config import ConfigError, Settings, build_flask_config


def test_production_requires_a_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_flask_config(Settings(env="production"), "/tmp/instance")


def test_development_gets_a_random_key_and_a_warning():
    config, warnings = build_flask_config(Settings(), "/tmp/instance")
    assert len(config["SECRET_KEY"]) == 64
    assert any("SECRET_KEY" in warning for warning in warnings)
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/instance/sharing.sqlite3"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_use_psycopg3(url, expected):
    config, _ = build_flask_config(Settings(database_url=url, secret_key="k"), "/tmp")
    assert config["SQLALCHEMY_DATABASE_URI"] == expected


def test_environment_is_read_only_when_asked():
    settings = Settings.from_environ(
        {"SHARING_ENV": "production", "SECRET_KEY": "s", "SHARING_TIMEZONE": "Europe/Berlin"}
    )
    config, warnings = build_flask_config(settings, "/tmp")
    assert config["SHARING_TIMEZONE"] == "Europe/Berlin"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert warnings == []


def test_passwords_are_hashed_with_scrypt_unless_configured_otherwise():
    config, _ = build_flask_config(Settings(env="production", secret_key="k"), "/tmp")
    assert config["PASSWORD_HASH_METHOD"] == "scrypt"
