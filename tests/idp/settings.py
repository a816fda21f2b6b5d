"""Settings of the test sign-in server: everything from the environment the fixture sets."""

import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = os.environ.get("IDP_SECRET_KEY", "test-idp-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_URL = os.environ.get("IDP_SITE_URL", "http://127.0.0.1:8000")
HARNESS_TOKEN = os.environ.get("IDP_HARNESS_TOKEN", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cas_server",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "tests.idp.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("IDP_DATABASE", os.path.join(BASE_DIR, "idp.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
LANGUAGE_CODE = "zh-hans"
STATIC_URL = "/static/"
LOGIN_URL = "/accounts/login/"
# Cheap hashing: the users are made by each test run.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# CAS: no component is fetched from a CDN (the machines have no Internet).
CAS_COMPONENT_URLS = dict.fromkeys(
    (
        "bootstrap3_css",
        "bootstrap3_js",
        "html5shiv",
        "respond",
        "bootstrap4_css",
        "bootstrap4_js",
        "jquery",
    ),
    "data:text/plain,",
)
CAS_SHOW_POWERED = False
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_REDIRECT_TO_LOGIN_AFTER_LOGOUT = False
CAS_LOGO_URL = None
CAS_FAVICON_URL = None
CAS_INFO_MESSAGES_ORDER = []

# OpenID Connect: the userinfo claims of a Django user.
OIDC_USERINFO = "tests.idp.claims.userinfo"
