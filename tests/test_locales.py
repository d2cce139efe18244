"""Catalog checks: complete, consistent with the code, placeholders intact, valid Telegram HTML."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.emulator.html_parser import EntityParseError, parse_html, utf16_length
from bot.i18n import LOCALES_DIR
from bot.settings import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
MAX_BUTTON_LABEL = 40  # characters a button label may take before a phone truncates it
SAMPLE_VALUE = "Nguyễn Thị <Mai> & co"


def _catalog(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _code_messages() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS, comment_tags=()
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.add((context, msgid))
    return found


def _entries(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, str(msgid)


def _strings(message: Message) -> list[str]:
    return [s for s in (message.string if isinstance(message.string, tuple) else (message.string,))]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _fill(text: str, value: str = SAMPLE_VALUE) -> str:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\{[a-z_0-9]*\}", escaped, text)


@pytest.fixture(scope="module")
def code_messages() -> set[tuple[str | None, str]]:
    return _code_messages()


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_matches_the_code(locale: str, code_messages: set[tuple[str | None, str]]) -> None:
    in_catalog = {_key(message) for message in _entries(_catalog(locale))}
    missing = sorted(msgid for _, msgid in code_messages - in_catalog)
    stale = sorted(msgid for _, msgid in in_catalog - code_messages)
    assert not missing, f"{locale}: strings in the code but not in the catalog (run `make messages`): {missing[:10]}"
    assert not stale, f"{locale}: strings in the catalog no longer in the code: {stale[:10]}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_is_translated_and_not_fuzzy(locale: str) -> None:
    catalog = _catalog(locale)
    untranslated = [_key(m)[1] for m in _entries(catalog) if not all(s.strip() for s in _strings(m))]
    fuzzy = [_key(m)[1] for m in _entries(catalog) if m.fuzzy]
    assert not untranslated, f"{locale}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{locale}: fuzzy: {fuzzy[:10]}"
    expected_plurals = catalog.num_plurals
    for message in _entries(catalog):
        if message.pluralizable:
            assert len(_strings(message)) == expected_plurals, f"{locale}: plural forms of {_key(message)}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_placeholders_are_identical(locale: str) -> None:
    for message in _entries(_catalog(locale)):
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = _placeholders(str(source[0]))
        for translation in _strings(message):
            assert _placeholders(translation) == expected, f"{locale}: {source[0]!r} -> {translation!r}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_translations_are_valid_telegram_html_within_limits(locale: str) -> None:
    for message in _entries(_catalog(locale)):
        for translation in _strings(message):
            filled = _fill(translation)
            try:
                parsed = parse_html(filled)
            except EntityParseError as error:
                pytest.fail(f"{locale}: {_key(message)[1]!r} is not valid Telegram HTML: {error}")
            assert utf16_length(parsed.text) <= 4096


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_button_labels_fit(locale: str) -> None:
    for message in _entries(_catalog(locale)):
        if message.context in ("button", "Button"):
            for translation in _strings(message):
                # values in buttons are short (numbers, truncated names): the wording itself must fit
                assert len(_fill(translation, "12")) <= MAX_BUTTON_LABEL, f"{locale}: button {translation!r} too long"
