"""Campus cards (校园卡): the number a person shows at an instrument, set by their managers.

A card number is an identifier, not a number: ASCII letters and digits (a reader types the
card's printed number or its chip's hexadecimal id), stored upper-cased, one holder each.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from sharing.auth.access import can_set_card
from sharing.auth.models import User
from sharing.core.errors import BadRequest, Conflict, Forbidden
from sharing.core.locking import lock_row
from sharing.extensions import db

CARD_PATTERN = re.compile(r"[0-9A-Za-z]{4,32}")
# What an agent may send as `user`: an e-mail address or a card number (api.md).
MAX_PERSON_TEXT = 254


def normalise_card(card_number: str | None) -> str | None:
    """The stored form of a card number (None, JSON null, clears it); BadRequest if it cannot be
    one (an empty text too: say null to take a card away)."""
    if card_number is None:
        return None
    text = card_number.strip()
    if not CARD_PATTERN.fullmatch(text):
        raise BadRequest(
            "A card number is 4 to 32 ASCII letters and digits.",
            fields={"card_number": ["4 to 32 ASCII letters and digits"]},
        )
    return text.upper()


def set_card_number(actor: User, person: User, card_number: str | None) -> User:
    """Give the person a card (or take it away); a number another person holds is 409."""
    if not can_set_card(actor, person):
        raise Forbidden("Cards are set by the person's organisation's managers and by admins.")
    number = normalise_card(card_number)
    lock_row(person)
    if number is not None and _holder(number) not in (None, person.id):
        raise _taken(number)
    person.card_number = number
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Given to someone else a moment ago, by a concurrent request: the unique key says so.
        raise _taken(number) from None
    return person


def _holder(number: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.card_number == number))


def _taken(number: str) -> Conflict:
    return Conflict(
        "Card %(number)s belongs to another person.", code="duplicate", params={"number": number}
    )


def find_person(text: str) -> User | None:
    """The active person an agent's `user` names: an e-mail address, or else a card number."""
    text = text.strip()
    if "@" in text:
        statement = select(User).where(User.email == text.lower())
    else:
        if not CARD_PATTERN.fullmatch(text):
            return None
        statement = select(User).where(User.card_number == text.upper())
    person = db.session.scalar(statement)
    return person if person is not None and person.active else None
