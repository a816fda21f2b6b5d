"""A real local SMTP server (aiosmtpd) that tests read mail from."""

from __future__ import annotations

import email
import email.policy
import socket
import time
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server():
    """Yields (port, inbox) of a server running on loopback for the block."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def mail_config(port: int) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_SENDER": "platform@bluevalley.example",
    }
