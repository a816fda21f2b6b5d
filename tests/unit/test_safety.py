"""The `next` redirect may never leave the site."""

import pytest

from sharing.web.safety import safe_next_url


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/instruments?q=质谱", "/instruments?q=质谱"),
        ("/profile", "/profile"),
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
        ("relative/path", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next_url(target, expected):
    assert safe_next_url(target, "/") == expected
