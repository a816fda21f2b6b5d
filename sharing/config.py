"""Configuration: read from the environment when the app is created, never at import."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sharing.auth.passwords import DEFAULT_HASH_METHOD

# SMTP settings; without MAIL_SERVER mails are written to the log.
MAIL_SETTINGS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_USE_TLS",
    "MAIL_SENDER",
)


class ConfigError(RuntimeError):
    """The environment does not describe a runnable configuration."""


@dataclass
class Settings:
    """Everything `create_app` needs from outside, with development defaults."""

    env: str = "development"
    database_url: str | None = None
    secret_key: str | None = None
    timezone: str = "Asia/Shanghai"
    redis_url: str | None = None
    mail: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: os._Environ | dict | None = None) -> Settings:
        """Read SHARING_ENV, DATABASE_URL, SECRET_KEY, SHARING_TIMEZONE, REDIS_URL and MAIL_*."""
        environ = os.environ if environ is None else environ
        return cls(
            env=environ.get("SHARING_ENV", "development"),
            database_url=environ.get("DATABASE_URL") or None,
            secret_key=environ.get("SECRET_KEY") or None,
            timezone=environ.get("SHARING_TIMEZONE", "Asia/Shanghai"),
            redis_url=environ.get("REDIS_URL") or None,
            mail={key: environ[key] for key in MAIL_SETTINGS if environ.get(key)},
        )


SSO_SECRET_PREFIX = "SSO_CLIENT_SECRET_"


def sso_client_secrets(environ: os._Environ | dict) -> dict[str, str]:
    """OpenID Connect client secrets kept in the environment, by organisation slug:
    SSO_CLIENT_SECRET_SDU_QD is the secret of the organisation `sdu-qd`."""
    return {
        name[len(SSO_SECRET_PREFIX) :].lower().replace("_", "-"): value
        for name, value in environ.items()
        if name.startswith(SSO_SECRET_PREFIX) and value
    }


def environ_int(name: str, default: int) -> int:
    """An integer setting from the environment (read when the app is created)."""
    value = os.environ.get(name, "")
    return int(value) if value.strip().isdigit() else default


def build_flask_config(
    settings: Settings, instance_path: str, overrides: dict | None = None
) -> tuple[dict, list[str]]:
    """Turn settings (then `overrides`) into Flask config keys; returns config and warnings."""
    overrides = overrides or {}
    warnings: list[str] = []
    env = overrides.get("SHARING_ENV", settings.env)
    production = env == "production"
    secret_key = overrides.get("SECRET_KEY") or settings.secret_key
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set when SHARING_ENV=production")
        secret_key = secrets.token_hex(32)
        warnings.append(
            "SECRET_KEY is not set: using a random key, so sessions end when the app restarts"
        )
    database_url = settings.database_url or (
        "sqlite:///" + str(Path(instance_path) / "sharing.sqlite3")
    )
    # Heroku-style URLs name the old driver; psycopg 3 is what we ship.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    config = {
        "SHARING_ENV": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SHARING_TIMEZONE": settings.timezone,
        "REDIS_URL": settings.redis_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": DEFAULT_HASH_METHOD,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": settings.timezone,
        "RATELIMIT_STORAGE_URI": settings.redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "API_TITLE": "Blue Valley Instrument Sharing API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,  # result files up to 20 MB plus the form
        "MAIL_SENDER": "noreply@bluevalley.example",
        "NO_SHOW_SWEEP_SECONDS": environ_int("NO_SHOW_SWEEP_SECONDS", 60),
        # The web processes run the background jobs (the default: the SQLite site needs no
        # worker); 0 when `flask worker` processes run them.
        "JOBS_IN_WEB": os.environ.get("JOBS_IN_WEB", "1").strip().lower()
        not in ("0", "false", "no"),
        # Whether a server process loads the tokenizer and builds the matching indexes when it
        # starts (gunicorn.conf.py), before it takes a request: on unless SHARING_WARM_AT_START=0,
        # off in tests (whose apps would each pay it) unless they ask.
        "WARM_AT_START": os.environ.get(
            "SHARING_WARM_AT_START", "0" if overrides.get("TESTING") else "1"
        )
        .strip()
        .lower()
        not in ("0", "false", "no"),
        # How often a worker looks for mail to deliver, and how long it waits on SMTP.
        "WORKER_POLL_SECONDS": float(os.environ.get("WORKER_POLL_SECONDS") or 1),
        "MAIL_TIMEOUT_SECONDS": environ_int("MAIL_TIMEOUT_SECONDS", 10),
        # The bearer token Prometheus scrapes /metrics with; unset, /metrics answers 401.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # Where uploads are kept: "database" (every server serves every file) or "folder" (the
        # instance folder, one server only).
        "FILE_STORAGE": os.environ.get("FILE_STORAGE", "database"),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PROXY_HOPS": environ_int("SHARING_PROXY_HOPS", 0),
        "LOG_FORMAT": os.environ.get("SHARING_LOG_FORMAT") or ("json" if production else "text"),
        "LOG_LEVEL": os.environ.get("SHARING_LOG_LEVEL", "INFO").upper(),
        # Campus sign-in: Fernet keys sealing the client secrets (first seals, all open; none:
        # a key derived from SECRET_KEY), secrets kept in the environment instead, and how long
        # the platform waits for a sign-in server.
        "SSO_ENCRYPTION_KEYS": [
            key.strip() for key in os.environ.get("SSO_ENCRYPTION_KEYS", "").split(",") if key
        ],
        "SSO_CLIENT_SECRETS": sso_client_secrets(os.environ),
        "SSO_TIMEOUT_SECONDS": environ_int("SSO_TIMEOUT_SECONDS", 10),
        **settings.mail,
        **settings.extra,
        **overrides,
    }
    return config, warnings
