"""Well-known XSS payloads through Markdown come out inert."""

import pytest

from sharing.util.markdown import render_markdown
from tests.fixtures.xss import PAYLOADS, active_parts


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert(payload):
    html = render_markdown(f"Intro\n\n{payload}\n\n**after**")
    assert active_parts(html) == [], html
    assert "<strong>after</strong>" in html


def test_ordinary_markdown_survives():
    text = "# 标题\n\n- 一\n- 二\n\n[site](https://example.org) `code`\n\n"
    html = render_markdown(text + "| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>标题</h1>" in html and "<li>一</li>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in html
    assert "<code>code</code>" in html and "<td>1</td>" in html


def test_the_detector_itself_finds_active_html():
    assert active_parts(
        '<a href="javascript:x">a</a><p onclick="x" style="x">b</p><script></script>'
    ) == [
        "a@href=javascript:x",
        "p@onclick",
        "p@style",
        "<script>",
    ]
