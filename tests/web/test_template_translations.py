"""Templates translate with the request's language, kept once per request and locale."""

from flask import render_template_string
from flask_babel import force_locale

from sharing.web.translations import request_translations

TEMPLATE = (
    "{{ _('Search') }} {{ ngettext('%(num)d instrument found', '%(num)d instruments found', 3) }}"
)


def test_a_page_in_chinese_switches_to_english_inside_force_locale_and_back(app):
    with app.test_request_context("/", headers={"Cookie": "lang=zh"}):
        assert render_template_string(TEMPLATE) == "搜索 共找到 3 台仪器"
        with force_locale("en"):  # mail and feeds in the recipient's language
            assert render_template_string(TEMPLATE) == "Search 3 instruments found"
        assert render_template_string(TEMPLATE) == "搜索 共找到 3 台仪器"


def test_the_translations_are_looked_up_once_per_request_and_locale(app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        first = request_translations()
        assert request_translations() is first
        with force_locale("zh"):
            assert request_translations() is not first
        assert request_translations() is first
        assert render_template_string(TEMPLATE) == "Search 3 instruments found"


def test_each_request_finds_its_own_language(app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(TEMPLATE).startswith("Search")
    with app.test_request_context("/", headers={"Cookie": "lang=zh"}):
        assert render_template_string(TEMPLATE).startswith("搜索")
