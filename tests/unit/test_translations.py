"""Every user-facing string is in the Chinese catalog, translated, and compiled."""

import gettext
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "sharing/translations/zh/LC_MESSAGES/messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# Refusals are extracted from the error classes' calls: pages show them translated.
ERRORS = (
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "RuleViolation",
    "CampusSignInRefused",
    "readable",
)
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    **dict.fromkeys(ERRORS),
}
METHODS = [("sharing/**.py", "python"), ("templates/**.html", "jinja2")]


def _catalog():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="zh")


def _source_messages() -> set[str]:
    found = set()
    # Babel skips folders starting with "_" by default; this test must see every template.
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=lambda path: ".venv" not in path
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_source_string_is_in_the_catalog():
    catalog_ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog() if m.id}
    missing = _source_messages() - catalog_ids
    assert not missing, f"run scripts/i18n.sh and translate: {sorted(missing)}"


def test_every_message_is_translated_and_not_fuzzy():
    catalog = _catalog()
    assert not catalog.fuzzy
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert [m.id for m in catalog if m.id and m.fuzzy] == []


def test_compiled_catalog_matches_the_po_file():
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _catalog():
        if message.id and not isinstance(message.id, tuple):
            assert compiled.gettext(message.id) == message.string, "run scripts/i18n.sh"
