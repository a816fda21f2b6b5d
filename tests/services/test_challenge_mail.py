"""Everyone who applied hears of the award, each in their language."""

import pytest

from tests.fixtures.challenges import challenge_body, proposal


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def test_award_tells_selected_and_not_selected(client, make, token_for, smtp):
    _port, inbox = smtp
    owner = make.user("enterprise", make.org("enterprise"))
    chosen = make.user("researcher", make.org("institute"))
    other = make.user("researcher", make.org("university"))
    cid = client.post("/api/v1/challenges", json=challenge_body(), headers=token_for(owner)).json[
        "id"
    ]
    ids = {}
    for person in (chosen, other):
        response = client.post(
            f"/api/v1/challenges/{cid}/applications", json=proposal(), headers=token_for(person)
        )
        ids[person.email] = response.json["id"]
    assert inbox.messages == []
    client.post(
        f"/api/v1/challenges/{cid}/award",
        json={"application_id": ids[chosen.email]},
        headers=token_for(owner),
    )
    mails = {m["To"]: m for m in inbox.wait_for(2)}
    assert set(mails) == {chosen.email, other.email}
    assert "您的揭榜申请已获选" in mails[chosen.email]["Subject"]
    assert "您的揭榜申请未获选" in mails[other.email]["Subject"]
    assert f"/challenges/{cid}" in mails[chosen.email].get_content()
