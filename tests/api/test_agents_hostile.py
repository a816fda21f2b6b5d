"""Hostile input on every field of the agents and the cards: a clear 400 naming the field (or,
for a well-formed `user` naming nobody, the agent's 403 `no_booking`), never a 5xx, nothing
stored."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from sharing.billing.models import UsageSession
from sharing.extensions import db
from tests.fixtures.agents import agent_headers, yesterday
from tests.fixtures.hostile import HOSTILE_TEXT


def _names_somebody(text) -> bool:
    """Text that could be an e-mail or a card (api.md: a string of at most 254 characters,
    printable): it names nobody here, so the agent hears that there is no booking."""
    return (
        isinstance(text, str)
        and 0 < len(text) <= 254
        and bool(text.strip())
        and not any(unicodedata.category(c)[0] == "C" or c == "\u2028" for c in text)
    )


NOT_TEXT = [None, 42, 1.5, True, [], {}]


def _fields(response) -> dict:
    """The fields a 400 names; text with control characters is refused whole ("body") by the
    request guard before any field is read."""
    assert response.status_code == 400, (response.status_code, response.json)
    fields = response.json["error"]["fields"]
    return dict.fromkeys(BODY_FIELDS, fields["body"]) if "body" in fields else fields


BODY_FIELDS = ("user", "at", "offline", "mode", "name", "card_number")


@pytest.fixture
def agent(agent_lab):
    agent_lab.booking(yesterday(9))
    _agent, token = agent_lab.agent()
    return agent_lab, agent_headers(token)


def test_every_hostile_user_is_refused_clearly(client, agent):
    _lab, headers = agent
    for text in HOSTILE_TEXT + NOT_TEXT + ["", "   ", "x" * 255]:
        answer = client.post("/api/v1/agent/sessions", json={"user": text}, headers=headers)
        if _names_somebody(text):
            assert answer.status_code == 403, (text, answer.json)
            assert answer.json["error"]["reason"] == "no_booking"
        else:
            assert "user" in _fields(answer), text
    assert "user" in _fields(client.post("/api/v1/agent/sessions", json={}, headers=headers))
    assert db.session.scalar(select(func.count(UsageSession.id))) == 0


@pytest.mark.parametrize("text", HOSTILE_TEXT + NOT_TEXT[1:])
def test_every_hostile_time_and_flag_is_a_400(client, agent, text):
    lab, headers = agent
    answer = client.post(
        "/api/v1/agent/sessions", json={"user": lab.card, "at": text}, headers=headers
    )
    assert "at" in _fields(answer)
    if text is not True:
        flagged = client.post(
            "/api/v1/agent/sessions", json={"user": lab.card, "offline": text}, headers=headers
        )
        assert "offline" in _fields(flagged)
    started = client.post(
        "/api/v1/agent/sessions",
        json={"user": lab.card, "at": yesterday(9).isoformat()},
        headers=headers,
    ).json["session_id"]
    ended = client.post(f"/api/v1/agent/sessions/{started}/end", json={"at": text}, headers=headers)
    assert "at" in _fields(ended)


# A card number is an identifier: ASCII letters and digits, 4 to 32 of them (a chip's id, a
# printed number). These are not numbers to the card field, so they are cards.
CARDS = {"99999999999999999999": "99999999999999999999", "1e999999999": "1E999999999",
         "sNaN": "SNAN", "Infinity": "INFINITY"}  # fmt: skip


@pytest.mark.parametrize("text", [*HOSTILE_TEXT, "", " ", "１２３４", "12345.0", *NOT_TEXT[1:]])
def test_every_hostile_mode_name_and_card_is_a_400(client, agent_lab, token_for, text):
    manager = token_for(agent_lab.manager)
    path = f"/api/v1/instruments/{agent_lab.instrument.id}/agents"
    assert "mode" in _fields(client.post(path, json={"mode": text}, headers=manager))
    if not isinstance(text, str) or len(text) > 120:
        assert "name" in _fields(client.post(path, json={"name": text}, headers=manager))
    admin = token_for(agent_lab.make.admin())
    card = client.patch(
        f"/api/v1/users/{agent_lab.researcher.id}", json={"card_number": text}, headers=admin
    )
    db.session.rollback()
    held = db.session.get(type(agent_lab.researcher), agent_lab.researcher.id).card_number
    if isinstance(text, str) and text in CARDS:
        assert card.status_code == 200 and held == CARDS[text]
    else:
        assert "card_number" in _fields(card)
        assert held == agent_lab.card
