"""CAS 3.0 through python-cas: the login URL, and the ticket validated at the server's
p3/serviceValidate. Each sign-in carries a state in its service URL, checked on return, so a
ticket obtained in another browser cannot sign this one in."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode
from xml.etree.ElementTree import ParseError

import requests
from cas import CASClient

from sharing.auth.campus import CampusPerson
from sharing.sso.models import SignInServer
from sharing.web.sso import errors, flow
from sharing.web.sso.transport import timed_session

MAX_TICKET_LENGTH = 1024
# Attributes the servers of the district release for the address and the name.
MAIL_ATTRIBUTES = ("mail", "email")
NAME_ATTRIBUTES = ("displayName", "cn", "name")


def _client(server: SignInServer, service_url: str) -> CASClient:
    # python-cas joins paths to the server URL: it must end with a slash to keep /cas/.
    return CASClient(
        version=3,
        service_url=service_url,
        server_url=server.server_url + "/",
        session=timed_session(),
    )


def _service_url(callback_url: str, state: str) -> str:
    return f"{callback_url}?{urlencode({'state': state})}"


def begin(server: SignInServer, callback_url: str, next_url: str) -> str:
    """Where to send the browser: the server's login page, coming back with a ticket."""
    state = secrets.token_urlsafe(24)
    flow.begin(server.organisation.slug, next_url, state=state)
    return _client(server, _service_url(callback_url, state)).get_login_url()


def finish(server: SignInServer, args, callback_url: str) -> tuple[CampusPerson, dict, str]:
    """The person the ticket names, as the server says, with the flow and no ID token."""
    begun = flow.take(server.organisation.slug)
    state = args.get("state", "")
    expected = str((begun or {}).get("state", ""))
    given = state.encode("utf-8", "replace")  # compare_digest takes non-ASCII as bytes only
    if not expected or not hmac.compare_digest(expected.encode(), given):
        raise errors.SignInRefused(errors.STATE)
    ticket = args.get("ticket", "")
    if not ticket or len(ticket) > MAX_TICKET_LENGTH or not ticket.isprintable():
        raise errors.SignInRefused(errors.TICKET, "no ticket")
    client = _client(server, _service_url(callback_url, state))
    try:
        user, attributes, _iou = client.verify_ticket(ticket)
    except requests.RequestException as exc:
        raise errors.ServerUnavailable(str(exc)) from exc
    except (ParseError, IndexError, AttributeError) as exc:  # not a CAS answer at all
        raise errors.ServerUnavailable(f"not a CAS answer: {exc}") from exc
    if not user:
        raise errors.SignInRefused(errors.TICKET)
    attributes = attributes or {}
    person = CampusPerson(
        subject=user,
        email=_first(attributes, MAIL_ATTRIBUTES),
        name=_first(attributes, NAME_ATTRIBUTES) or _full_name(attributes),
    )
    return person, begun, ""


def _first(attributes: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = attributes.get(name)
        if isinstance(value, list):
            value = next((item for item in value if item), None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _full_name(attributes: dict) -> str:
    parts = [_first(attributes, (key,)) for key in ("last_name", "first_name", "sn", "givenName")]
    return "".join(part for part in parts if part)


def logout_url(server: SignInServer, return_url: str, id_token: str | None) -> str | None:
    """The server's logout, coming back to the platform (every CAS server has one)."""
    return _client(server, return_url).get_logout_url(return_url)
