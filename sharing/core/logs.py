"""Logs: one line per request with a request id, JSON in production (for the log collector)."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept if it looks like one; anything else (or none) gets a fresh id.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_HANDLER_MARK = "_sharing_handler"
access_log = logging.getLogger("sharing.access")


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request it was logged in ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def make_handler(log_format: str) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                datefmt="%Y-%m-%dT%H:%M:%S%z",
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
    handler.addFilter(RequestIdFilter())
    setattr(handler, _HANDLER_MARK, True)
    return handler


def configure_logging(app: Flask) -> None:
    """Send the `sharing` loggers to stderr once per process; tests keep pytest's capture."""
    logger = logging.getLogger("sharing")
    logger.setLevel(app.config["LOG_LEVEL"])
    if app.testing or any(getattr(h, _HANDLER_MARK, False) for h in logger.handlers):
        return
    logger.addHandler(make_handler(app.config["LOG_FORMAT"]))
    logger.propagate = False


def install_request_logging(app: Flask) -> None:
    """Give each request an id (kept from the proxy when sane), echo it, log the outcome."""

    @app.before_request
    def assign_request_id() -> None:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _ACCEPTABLE_ID.match(offered) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id")
        if request_id is None:  # a request refused before `before_request` ran
            return response
        response.headers[REQUEST_ID_HEADER] = request_id
        if request.endpoint != "static":
            elapsed_ms = (time.perf_counter() - g.request_started) * 1000
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed_ms, 1),
                    "remote_addr": request.remote_addr,
                    "request_id": request_id,
                },
            )
        return response
