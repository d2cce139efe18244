"""What the every-screen-every-locale walks check on each screen they record.

A walk records every screen a user saw (`Screens`); then, per locale, no screen may contain an
English catalog sentence left untranslated (`assert_translated`), nor HTML shown as text
(`assert_no_markup_shown`: the emulator already refuses what Telegram would not parse), and each
screen must read differently from the same screen in the locales already run in this session
(`assert_differs_from_other_locales`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache

from babel.messages.pofile import read_po

from bot.emulator.state import MessageRecord
from bot.i18n import LOCALES_DIR

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"<[^>]+>")
MARKUP_AS_TEXT = re.compile(r"&(amp|lt|gt|quot);|</?(b|i|u|s|a|code|pre)\b[^>]*>")
SCREENS_BY_LOCALE: dict[tuple[str, str, str], dict[str, str]] = {}
"""(walk, database dialect, locale) -> screen -> text, filled as the locales run, for comparing them."""


@cache
def english_sentences(locale: str) -> frozenset[str]:
    """Pieces (between placeholders) of the catalog's English msgids that have three words or more
    (emoji and signs are not words)."""
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    pieces: set[str] = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in PLACEHOLDER.split(html.unescape(TAG.sub("", msgid or ""))):
                if sum(bool(re.search("[A-Za-z]", word)) for word in piece.split()) >= 3:
                    pieces.add(" ".join(piece.split()))
    return frozenset(pieces)


def _bare(text: str) -> str:
    """The text without tags, extra spaces, and the emoji or punctuation around it."""
    return re.sub(r"^\W+|\W+$", "", " ".join(html.unescape(TAG.sub("", text)).split()))


@cache
def english_labels(locale: str) -> frozenset[str]:
    """Whole English msgids without placeholders (short labels too) that the locale translates
    differently: a line or button showing one of them is left in English."""
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    labels: set[str] = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid and not PLACEHOLDER.search(msgid) and _bare(msgid) not in map(_bare, strings):
                labels.add(_bare(msgid))
    return frozenset(label for label in labels if re.search(r"[A-Za-z]{2}", label))


@dataclass
class Screens:
    """What the user saw, screen by screen, as plain text with its button labels."""

    shown: dict[str, str] = field(default_factory=dict)

    def record(self, name: str, *messages: MessageRecord) -> MessageRecord:
        """Keep the text (and button labels) the messages show now; return the last message."""
        assert messages, f"{name}: no answer arrived (refused by the emulator or never sent)"
        parts = [m.text or "" for m in messages]
        parts += [button.text for m in messages for button in m.inline_buttons]
        self.note(name, "\n".join(parts))
        return messages[-1]

    def note(self, name: str, text: str | None) -> None:
        """Keep a text shown outside a message (a button's pop-up answer, the command menu)."""
        assert text and text.strip(), f"{name}: nothing shown"
        self.shown[name] = text


def assert_translated(locale: str, screens: Screens) -> None:
    """No English catalog sentence, and no line or button that is a whole English label the
    locale translates, in a non-English screen."""
    if locale == "en":
        return
    sentences, labels = english_sentences(locale), english_labels(locale)
    leaks = {
        name: sorted(s for s in sentences if s in " ".join(text.split()))
        + sorted(label for label in labels if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text))
        for name, text in screens.shown.items()
    }
    found = {name: found for name, found in leaks.items() if found}
    assert not found, f"{locale}: English left on {found}"


def assert_no_markup_shown(screens: Screens) -> None:
    """No HTML tag or entity shown as text (escaped twice, or sent without the HTML parse mode)."""
    shown = {name: MARKUP_AS_TEXT.findall(text) for name, text in screens.shown.items()}
    found = {name: found for name, found in shown.items() if found}
    assert not found, f"HTML shown as text on {found}"


def assert_differs_from_other_locales(walk: str, dialect: str, locale: str, screens: Screens) -> None:
    """Each screen reads differently from the same screen in every locale run before; then remember
    this locale's screens for the locales still to come."""
    for (other_walk, other_dialect, other), other_screens in SCREENS_BY_LOCALE.items():
        if (other_walk, other_dialect) != (walk, dialect) or other == locale:
            continue
        same = [name for name, text in screens.shown.items() if other_screens.get(name) == text]
        assert same == [], f"{locale} and {other} show the same text on {same}"
    SCREENS_BY_LOCALE[walk, dialect, locale] = screens.shown


def assert_every_screen_translated(walk: str, dialect: str, locale: str, screens: Screens) -> None:
    """All the checks above, for one walk in one locale."""
    assert all(text.strip() for text in screens.shown.values()), "an empty screen"
    assert_no_markup_shown(screens)
    assert_translated(locale, screens)
    assert_differs_from_other_locales(walk, dialect, locale, screens)
