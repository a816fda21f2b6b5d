"""Keeping an organisation's sign-in server and finding the server of an address.

Who may change them is decided a floor up (sharing/auth/campus.py): this floor knows
organisations, not people.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import func, select

from sharing.core.errors import BadRequest, Conflict, readable
from sharing.extensions import db
from sharing.orgs.models import Organisation, OrgKind
from sharing.sso.domains import candidates, domain_of, normalise_domain
from sharing.sso.models import DefaultRole, Protocol, SignInDomain, SignInServer
from sharing.sso.sealing import environment_secret, seal, unseal

MAX_DOMAINS = 20
MAX_URL_LENGTH = 500
# Settings that belong to one protocol only: naming them for the other is a mistake to say.
OIDC_ONLY = ("issuer", "client_id", "client_secret")
CAS_ONLY = ("server_url",)


def get_server(slug: str) -> SignInServer | None:
    """The sign-in server of the organisation with this slug, or None."""
    return db.session.scalar(
        select(SignInServer).join(SignInServer.organisation).where(Organisation.slug == slug)
    )


def server_of(organisation: Organisation) -> SignInServer | None:
    return db.session.scalar(
        select(SignInServer).where(SignInServer.organisation_id == organisation.id)
    )


def list_servers() -> list[SignInServer]:
    """Every organisation that offers campus sign-in, by name."""
    statement = select(SignInServer).join(SignInServer.organisation).order_by(Organisation.name)
    return list(db.session.scalars(statement))


def server_for_address(address: str) -> SignInServer | None:
    """The sign-in server whose domains hold this address (its domain or the nearest parent
    configured), or None."""
    domain = domain_of(address)
    if domain is None:
        return None
    return db.session.scalar(
        select(SignInServer)
        .join(SignInDomain, SignInDomain.server_id == SignInServer.id)
        .where(SignInDomain.domain.in_(candidates(domain)))
        .order_by(func.length(SignInDomain.domain).desc())
        .limit(1)
    )


def client_secret(server: SignInServer) -> str:
    """The OpenID Connect client secret: the environment's, else the sealed one opened."""
    held = environment_secret(server.organisation.slug)
    if held:
        return held
    return unseal(server.client_secret_sealed) if server.client_secret_sealed else ""


def remove_server(organisation: Organisation) -> None:
    """The organisation no longer offers campus sign-in; its accounts keep their identities
    (they sign in again once a server is set)."""
    server = server_of(organisation)
    if server is not None:
        db.session.delete(server)
        db.session.flush()


def save_server(organisation: Organisation, settings: dict) -> SignInServer:
    """Set the organisation's sign-in server from api.md's "sso" object. Left out, a stored
    client secret is kept; the caller has locked the organisation."""
    protocol = _protocol(settings.get("protocol"))
    server = server_of(organisation) or SignInServer(organisation=organisation)
    if protocol is Protocol.CAS:
        _refuse_foreign(settings, OIDC_ONLY, "CAS")
        server.server_url = _url(settings.get("server_url"), "server_url").rstrip("/")
        server.issuer = server.client_id = server.client_secret_sealed = ""
    else:
        _refuse_foreign(settings, CAS_ONLY, "OpenID Connect")
        _set_oidc(server, organisation, settings)
    server.protocol = protocol
    server.default_role = _role(settings.get("default_role"), organisation)
    domains = _domains(settings.get("email_domains"))
    _check_domains_free(domains, server)
    kept = [entry for entry in server.domains if entry.domain in domains]
    known = {entry.domain for entry in kept}
    server.domains = kept + [SignInDomain(domain=d) for d in domains if d not in known]
    db.session.add(server)
    db.session.flush()
    return server


def _set_oidc(server: SignInServer, organisation: Organisation, settings: dict) -> None:
    server.issuer = _url(settings.get("issuer"), "issuer")
    client_id = settings.get("client_id")
    if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > 255:
        raise BadRequest(
            "OpenID Connect needs the client_id the server gave the platform.",
            fields={"client_id": [readable("required, at most 255 characters")]},
        )
    secret = settings.get("client_secret")
    was_oidc = server.protocol is Protocol.OIDC and server.client_secret_sealed
    if secret:
        server.client_secret_sealed = seal(secret)
    elif not (was_oidc and server.client_id == client_id.strip()) and not environment_secret(
        organisation.slug
    ):
        raise BadRequest(
            "OpenID Connect needs the client_secret (or SSO_CLIENT_SECRET_<SLUG> in the "
            "environment).",
            fields={"client_secret": ["required"]},
        )
    server.client_id = client_id.strip()


def _protocol(value) -> Protocol:
    try:
        return Protocol(value)
    except ValueError:
        raise BadRequest(
            "The protocol is cas or oidc.", fields={"protocol": ["cas or oidc"]}
        ) from None


def _refuse_foreign(settings: dict, names: tuple[str, ...], protocol: str) -> None:
    given = [name for name in names if settings.get(name) not in (None, "")]
    if given:
        raise BadRequest(
            "%(protocol)s does not use these settings.",
            {"protocol": protocol},
            fields={name: ["not used by this protocol"] for name in given},
        )


def _url(value, field: str) -> str:
    """An absolute http(s) URL without credentials or fragment."""
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text) if text and len(text) <= MAX_URL_LENGTH else None
    if (
        parts is None
        or any(ord(ch) < 33 for ch in text)
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.fragment
    ):
        raise BadRequest(
            "%(field)s must be an http or https address.",
            {"field": field},
            fields={field: [readable("an http or https address")]},
        )
    return text


def _role(value, organisation: Organisation) -> DefaultRole:
    if value in (None, ""):
        kind_default = organisation.kind is OrgKind.ENTERPRISE
        return DefaultRole.ENTERPRISE if kind_default else DefaultRole.RESEARCHER
    try:
        return DefaultRole(value)
    except ValueError:
        raise BadRequest(
            "The default role is researcher or enterprise.",
            fields={"default_role": ["researcher or enterprise"]},
        ) from None


def _domains(values) -> list[str]:
    if not isinstance(values, list) or not values or len(values) > MAX_DOMAINS:
        raise BadRequest(
            "Name the e-mail domains whose people sign in here (1 to %(most)s).",
            {"most": MAX_DOMAINS},
            fields={"email_domains": ["1 to 20 domains"]},
        )
    domains = []
    for value in values:
        domain = normalise_domain(value) if isinstance(value, str) else None
        if domain is None:
            raise BadRequest(
                "'%(value)s' is not an e-mail domain.",
                {"value": str(value)[:100]},
                fields={"email_domains": [readable("a domain such as sdu.edu.cn")]},
            )
        if domain not in domains:
            domains.append(domain)
    return domains


def _check_domains_free(domains: list[str], server: SignInServer) -> None:
    """A domain belongs to one organisation's sign-in: otherwise an address would have two."""
    statement = select(SignInDomain).where(SignInDomain.domain.in_(domains))
    if server.id is not None:
        statement = statement.where(SignInDomain.server_id != server.id)
    taken = db.session.scalars(statement).first()
    if taken is not None:
        raise Conflict(
            "The domain %(domain)s signs in through %(organisation)s already.",
            code="duplicate",
            params={"domain": taken.domain, "organisation": taken.server.organisation.name},
            fields={"email_domains": ["taken"]},
        )
