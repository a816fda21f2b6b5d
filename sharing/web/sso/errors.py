"""What can go wrong on the way to a campus sign-in server and back."""

from __future__ import annotations


class ServerUnavailable(Exception):
    """The organisation's server could not be reached or answered nonsense: try again later."""


class SignInRefused(Exception):
    """The return from the server does not prove who the person is (a forged, replayed or
    expired ticket or code, another browser's state, a wrong nonce); `reason` says which."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail


# The reasons, as the refused page names them.
STATE = "state"  # the return does not belong to a sign-in begun in this browser
TICKET = "ticket"  # the server did not accept the CAS ticket
CODE = "code"  # the server did not accept the OpenID Connect code
TOKEN = "token"  # the ID token failed its checks (signature, issuer, audience, nonce, time)
DENIED = "denied"  # the person or the server declined
