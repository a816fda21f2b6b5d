"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from sharing import create_app

app = create_app()
