"""`Idempotency-Key` on the API's POSTs (api.md, "Exactly once"): the request side of it."""

from __future__ import annotations

import time

from flask import Response, request

from sharing.core.errors import Conflict
from sharing.core.idempotency import (
    HEADER,
    KeyOwner,
    StoredAnswer,
    check_key,
    claim,
    fingerprint,
    record_answer,
    stored_answer,
)
from sharing.core.session import api_actor
from sharing.core.transaction import record_with_answer
from sharing.util.timeutil import utcnow

REPLAYED_HEADER = "Idempotent-Replayed"
# A repeat arriving while the first run goes on waits this long for its answer, then says 409.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05


def _replay(answer: StoredAnswer) -> Response:
    response = Response(answer.body, status=answer.status_code, content_type=answer.content_type)
    response.headers[REPLAYED_HEADER] = "true"
    return response


def begin_idempotent_request() -> Response | None:
    """Claim the key, or answer with the first run's answer (before the view runs)."""
    if request.method != "POST" or request.headers.get(HEADER) is None:
        return None
    actor = api_actor()
    if actor is None:
        return None  # only /auth/tokens takes anonymous POSTs; nothing there to repeat
    return begin_keyed_request(KeyOwner(user_id=actor.id))


def begin_keyed_request(owner: KeyOwner) -> Response | None:
    """The same for a caller known by other means (an instrument's agent), with its own keys."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    check_key(key)
    print_ = fingerprint(
        request.method, request.path, request.query_string, request.get_data(cache=True)
    )
    outcome = claim(owner, key, print_, utcnow())
    deadline = time.monotonic() + WAIT_SECONDS
    while outcome is None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        outcome = stored_answer(owner, key, print_)
    if outcome is None:
        raise Conflict("A request with this Idempotency-Key is still running.", code="in_progress")
    if isinstance(outcome, StoredAnswer):
        return _replay(outcome)
    record_with_answer(lambda response: _keep_answer(outcome, response))
    return None


def _keep_answer(claim_id: int, response: Response) -> None:
    """The answer of a claimed key, kept with the work it answers (server errors free the key
    for a retry)."""
    answer = (
        None
        if response.status_code >= 500 or response.is_streamed
        else StoredAnswer(response.status_code, response.content_type or "", response.get_data())
    )
    record_answer(claim_id, answer)
