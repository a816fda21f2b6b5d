"""OpenID Connect through Authlib's Flask client: discovery from the issuer, the
authorization code flow with PKCE, the state and the nonce kept in the session and checked by
Authlib, the ID token's signature, issuer, audience and times checked against the server's
keys. A client per organisation, kept while its settings and its discovery are fresh."""

from __future__ import annotations

import hashlib
import time

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from joserfc.errors import JoseError

from sharing.auth.campus import CampusPerson
from sharing.sso.models import SignInServer
from sharing.sso.services import client_secret
from sharing.web.sso import errors, flow
from sharing.web.sso.transport import timeout

SCOPES = "openid email profile"
DISCOVERY_SECONDS = 3600
_CLIENTS: dict[str, tuple[tuple, FlaskOAuth2App]] = {}


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def _client(server: SignInServer) -> FlaskOAuth2App:
    slug = server.organisation.slug
    secret = client_secret(server)
    settings = (server.issuer, server.client_id, hashlib.sha256(secret.encode()).hexdigest())
    kept = _CLIENTS.get(slug)
    if kept is not None and kept[0] == settings:
        client = kept[1]
        if time.time() - client.server_metadata.get("_loaded_at", 0) > DISCOVERY_SECONDS:
            client.server_metadata.clear()  # read the discovery and the keys again
        return client
    name = f"campus-{slug}"
    client = FlaskOAuth2App(
        FlaskIntegration(name),
        name=name,
        client_id=server.client_id,
        client_secret=secret,
        server_metadata_url=discovery_url(server.issuer),
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": timeout(),
        },
    )
    _CLIENTS[slug] = (settings, client)
    return client


def _unavailable(exc: Exception) -> errors.ServerUnavailable:
    return errors.ServerUnavailable(f"{type(exc).__name__}: {exc}")


def begin(server: SignInServer, callback_url: str, next_url: str) -> str:
    """The server's authorization URL (read from its discovery document)."""
    try:
        client = _client(server)
        found = client.create_authorization_url(redirect_uri=callback_url)
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        raise _unavailable(exc) from exc
    client.save_authorize_data(redirect_uri=callback_url, **found)
    flow.begin(server.organisation.slug, next_url)
    return found["url"]


def finish(server: SignInServer, args, callback_url: str) -> tuple[CampusPerson, dict, str]:
    """The person the code stands for: the ID token checked (nonce included), the address from
    the token or else from the userinfo endpoint."""
    begun = flow.take(server.organisation.slug)
    if begun is None:
        raise errors.SignInRefused(errors.STATE)
    try:
        client = _client(server)
        token = client.authorize_access_token()
        claims = token.get("userinfo")
        if not claims:
            raise errors.SignInRefused(errors.TOKEN, "no ID token")
        if not claims.get("email"):  # many servers say it at the userinfo endpoint only
            claims = {**_userinfo(client, token, claims["sub"]), **claims}
        email = claims.get("email", "")
    except MismatchingStateError as exc:
        raise errors.SignInRefused(errors.STATE) from exc
    except OAuthError as exc:
        reason = errors.DENIED if args.get("error") else errors.CODE
        raise errors.SignInRefused(reason, exc.error or "") from exc
    except JoseError as exc:
        raise errors.SignInRefused(errors.TOKEN, str(exc)) from exc
    except (requests.RequestException, ValueError, RuntimeError, KeyError) as exc:
        raise _unavailable(exc) from exc
    if claims.get("email_verified") is False:
        email = ""  # an address the server itself has not verified opens nothing
    person = CampusPerson(subject=str(claims["sub"]), email=email, name=_name(claims))
    return person, begun, token.get("id_token", "")


def _userinfo(client: FlaskOAuth2App, token: dict, subject: str) -> dict:
    """The userinfo endpoint's claims, when they are about the same subject."""
    info = client.userinfo(token=token)
    return info if str(info.get("sub")) == str(subject) else {}


def _name(claims: dict) -> str:
    given = (claims.get("family_name") or "") + (claims.get("given_name") or "")
    return str(claims.get("name") or given or claims.get("preferred_username") or "")


def logout_url(server: SignInServer, return_url: str, id_token: str | None) -> str | None:
    """The server's end-session endpoint (RP-initiated logout), when its discovery names one."""
    try:
        found = _client(server).create_logout_url(
            post_logout_redirect_uri=return_url,
            id_token_hint=id_token or None,
            client_id=server.client_id,
        )
    except (requests.RequestException, ValueError, RuntimeError):
        return None
    return found["url"]
