"""The national register's fields (api.md "Evidence for assessors"): kept, validated, shown."""

from __future__ import annotations

import pytest

from sharing.instruments.register import country_name, register_problems


@pytest.fixture
def setting(make, token_for):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager)
    return {"instrument": instrument, "headers": token_for(manager)}


def patch(client, setting, body):
    path = f"/api/v1/instruments/{setting['instrument'].id}"
    return client.patch(path, json=body, headers=setting["headers"])


def test_the_fields_are_kept_and_shown(client, setting):
    body = {
        "national_code": "030101",
        "source": "purchased",
        "country_of_origin": "de",
        "share_mode": "open",
        "purchased_on": "2019-06-18",
    }
    saved = patch(client, setting, body)
    assert saved.status_code == 200, saved.json
    shown = client.get(f"/api/v1/instruments/{setting['instrument'].id}").json
    assert {key: shown[key] for key in body} == dict(body, country_of_origin="DE")
    assert shown["country_name"] == "德国"
    cleared = patch(client, setting, {"source": None, "purchased_on": None, "national_code": ""})
    assert cleared.status_code == 200
    assert (cleared.json["source"], cleared.json["purchased_on"]) == (None, None)


def test_new_instruments_are_open_to_share_by_default(client, setting):
    shown = client.get(f"/api/v1/instruments/{setting['instrument'].id}").json
    assert shown["share_mode"] == "open" and shown["national_code"] == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"national_code": "3010"}, "national_code"),
        ({"national_code": "03010A"}, "national_code"),
        ({"national_code": "0301011"}, "national_code"),
        ({"country_of_origin": "XX"}, "country_of_origin"),
        ({"country_of_origin": "EU"}, "country_of_origin"),
        ({"country_of_origin": "Germany"}, "country_of_origin"),
        ({"source": "stolen"}, "source"),
        ({"share_mode": "sometimes"}, "share_mode"),
        ({"purchased_on": "2019-13-01"}, "purchased_on"),
    ],
)
def test_bad_register_fields_are_refused_by_name(client, setting, body, field):
    refused = patch(client, setting, body)
    assert refused.status_code == 400, refused.json
    assert field in refused.json["error"]["fields"]


def test_the_rules_in_one_place():
    assert register_problems({"national_code": "03010101", "country_of_origin": "jp"}) == {}
    assert set(register_problems({"national_code": "1", "country_of_origin": "ZZ"})) == {
        "national_code",
        "country_of_origin",
    }
    assert country_name("US") == "美国" and country_name("US", "en") == "United States"


def test_the_edit_form_keeps_them_and_the_page_shows_them(client, login, make):
    from tests.web.test_catalog_pages import _form_data

    manager = make.user("manager")
    own = make.instrument(manager=manager, original_value="1800000.00")
    login(manager)
    form = client.get(f"/instruments/{own.id}/edit").get_data(as_text=True)
    assert 'name="national_code"' in form and ">德国 (DE)<" in form
    refused = client.post(
        f"/instruments/{own.id}/edit", data=_form_data(own, national_code="12-34")
    )
    assert refused.status_code == 400 and "六位或八位数字" in refused.get_data(as_text=True)
    register = {
        "national_code": "03010101",
        "source": "donated",
        "country_of_origin": "JP",
        "share_mode": "internal",
        "purchased_on": "2021-03-05",
    }
    saved = client.post(f"/instruments/{own.id}/edit", data=_form_data(own, **register))
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    page = client.get(f"/instruments/{own.id}").get_data(as_text=True)
    assert "03010101" in page and "日本" in page and "2021-03-05" in page and "捐赠" in page
    again = client.get(f"/instruments/{own.id}/edit").get_data(as_text=True)
    assert 'value="03010101"' in again and '<option selected value="JP">' in again
