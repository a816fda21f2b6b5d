"""Campus sign-in (统一身份认证) for people: who may set an organisation's server, which
addresses may not use a password, and the account a verified campus identity opens.

The protocols themselves (CAS tickets, OpenID Connect codes) are checked by the pages'
clients; what arrives here is what the organisation's server vouched for.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from sharing.auth.access import is_admin
from sharing.auth.models import ExternalIdentity, Role, User
from sharing.auth.services import get_user_by_email, normalise_email
from sharing.core.errors import DomainError, Forbidden
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.sso.domains import covers
from sharing.sso.models import SignInServer
from sharing.sso.services import remove_server, save_server
from sharing.util.timeutil import utcnow

MAX_SUBJECT_LENGTH = 255
# Accounts made by a campus sign-in have no password: this marks the stored hash as one that
# no password matches (werkzeug reads no method from it).
NO_PASSWORD_PREFIX = "campus-sign-in!"


class CampusSignInRefused(DomainError):
    """A verified campus identity that opens no account here; the message says why."""

    status, code = 403, "forbidden"


@dataclass(frozen=True)
class CampusPerson:
    """What the organisation's server said of the person."""

    subject: str
    email: str
    name: str = ""


def configure_campus_sign_in(
    actor: User, organisation: Organisation, settings: dict | None
) -> SignInServer | None:
    """Admins set (or, with None, remove) an organisation's sign-in server."""
    if not is_admin(actor):
        raise Forbidden("Admins keep the organisations' sign-in servers.")
    lock_row(organisation)
    if settings is None:
        remove_server(organisation)
        return None
    return save_server(organisation, settings)


def has_campus_identity(user: User) -> bool:
    """Whether the account signs in through a campus server (and so has no password)."""
    return user.password_hash.startswith(NO_PASSWORD_PREFIX) or bool(
        db.session.scalar(select(ExternalIdentity.id).where(ExternalIdentity.user_id == user.id))
    )


def sign_in_with_campus_account(server: SignInServer, person: CampusPerson) -> User:
    """The account of a person the organisation's server vouched for: found by the server's
    subject; at the first sign-in made in that organisation with the default role, or, for an
    account of that organisation with the same address and no campus identity yet, linked."""
    subject = (person.subject or "").strip()
    if not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise CampusSignInRefused("The campus sign-in gave no usable user name.")
    identity = _identity(server.organisation_id, subject)
    if identity is None:
        lock_row(server.organisation)  # first sign-ins of one organisation one after another
        identity = _identity(server.organisation_id, subject) or _first_identity(
            server, subject, person
        )
    user = identity.user
    if not user.active:
        raise CampusSignInRefused("This account is disabled. Ask the platform's administrators.")
    identity.last_sign_in_at = utcnow()
    _follow_address(server, user, person.email)
    db.session.flush()
    return user


def _identity(organisation_id: int, subject: str) -> ExternalIdentity | None:
    return db.session.scalar(
        select(ExternalIdentity).where(
            ExternalIdentity.organisation_id == organisation_id,
            ExternalIdentity.subject == subject,
        )
    )


def _campus_address(server: SignInServer, email: str) -> str:
    if not email:
        raise CampusSignInRefused(
            "The campus sign-in did not give your e-mail address. Ask your IT department to "
            "release it (CAS attribute mail, OpenID Connect claim email) to the platform."
        )
    try:
        address = normalise_email(email)
    except DomainError:
        refused = CampusSignInRefused("The campus sign-in gave an address that cannot be used.")
        raise refused from None
    if not covers(server.domain_names, address):
        raise CampusSignInRefused(
            "The campus sign-in gave the address %(address)s, outside the domains of "
            "%(organisation)s.",
            {"address": address, "organisation": server.organisation.name},
        )
    return address


def _first_identity(server: SignInServer, subject: str, person: CampusPerson) -> ExternalIdentity:
    address = _campus_address(server, person.email)
    user = get_user_by_email(address)
    if user is None:
        user = User(
            email=address,
            name=(person.name or "").strip()[:120] or address.partition("@")[0],
            password_hash=NO_PASSWORD_PREFIX + secrets.token_hex(16),
            role=Role(server.default_role.value),
            organisation_id=server.organisation_id,
            calendar_salt=secrets.token_hex(16),
        )
        db.session.add(user)
    elif user.organisation_id != server.organisation_id:
        raise CampusSignInRefused(
            "An account for %(address)s exists in another organisation. Ask the platform's "
            "administrators to move it.",
            {"address": address},
        )
    elif _linked(user, server):
        raise CampusSignInRefused(
            "The account of %(address)s belongs to another campus user name.",
            {"address": address},
        )
    identity = ExternalIdentity(
        organisation_id=server.organisation_id,
        subject=subject,
        protocol=server.protocol.value,
        user=user,
    )
    db.session.add(identity)
    db.session.flush()
    return identity


def _linked(user: User, server: SignInServer) -> bool:
    """Whether the account already has an identity of this server's protocol (an address the
    server gave another person now must not open it)."""
    return user.id is not None and bool(
        db.session.scalar(
            select(ExternalIdentity.id).where(
                ExternalIdentity.user_id == user.id,
                ExternalIdentity.organisation_id == server.organisation_id,
                ExternalIdentity.protocol == server.protocol.value,
            )
        )
    )


def _follow_address(server: SignInServer, user: User, email: str) -> None:
    """A later sign-in with a new address of the organisation moves the account to it, when
    no other account holds it."""
    try:
        address = _campus_address(server, email)
    except CampusSignInRefused:
        return
    if address != user.email and get_user_by_email(address) is None:
        user.email = address
