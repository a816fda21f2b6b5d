"""Well-known XSS payloads through Markdown come out inert."""

from html.parser import HTMLParser

import pytest

from sharing.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<p onclick="alert(1)">x</p>',
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    "[a](vbscript:msgbox(1))",
    "<object data=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
]
DANGEROUS_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "svg",
    "math",
    "form",
    "body",
    "details",
    "img",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


class ActiveParts(HTMLParser):
    """Collects what a browser would act on: dangerous elements, handlers, styles, bad URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}@{name}")
            if name in ("href", "src", "action", "data") and (
                value or ""
            ).strip().lower().startswith(DANGEROUS_SCHEMES):
                self.found.append(f"{tag}@{name}={value}")


def active_parts(html: str) -> list[str]:
    parser = ActiveParts()
    parser.feed(html)
    return parser.found


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
