"""Names of the Ministry of Health's shared codes in the reader's language.

XML 130 files carry codes where FHIR resources usually carry text: a drug's route
(`XML2.DUONG_DUNG`, "1.01" for oral) and a department (`MA_KHOA`, "K01"). The code tables
shipped in `data/` (code, vi, en, km, bn; sources and gaps in `data/README.md`) turn them
into names, so a visit reads the same whichever standard it came in.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

ROUTES_FILE = "medication_routes.csv"
DEPARTMENTS_FILE = "departments.csv"
LANGUAGES = ("vi", "en", "km", "bn")
FALLBACK_LANGUAGE = "vi"
"""The catalogue's own language, used where a row lacks the reader's language."""

Names = dict[str, str]


@cache
def code_table(file_name: str) -> dict[str, Names]:
    """A shipped table: names by language, by upper-case code (read once)."""
    text = resources.files("bot.records").joinpath("data", file_name).read_text(encoding="utf-8")
    table: dict[str, Names] = {}
    for row in csv.DictReader(io.StringIO(text)):
        names = {lang: (row.get(lang) or "").strip() for lang in LANGUAGES}
        table[row["code"].strip().upper()] = {lang: name for lang, name in names.items() if name}
    return table


def language_of(locale: str) -> str:
    """`vi_VN`, `en-GB` -> `vi`, `en`."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


def localized_code(file_name: str, recorded: str | None, locale: str) -> str | None:
    """The name of a recorded code in the reader's language, else in Vietnamese.

    Args:
        file_name: The table in `data/`.
        recorded: The value as the record carries it: a code, free text or nothing.
        locale: The reader's locale.

    Returns:
        The table's name; the recorded value (stripped) when the table lacks it; None when
        nothing is recorded.
    """
    value = (recorded or "").strip()
    if not value:
        return None
    names = code_table(file_name).get(value.upper())
    if not names:
        return value
    return names.get(language_of(locale)) or names.get(FALLBACK_LANGUAGE) or value


def route_name(recorded: str | None, locale: str) -> str | None:
    """A drug's route ("1.01" -> "Oral" for English readers); free text as recorded."""
    return localized_code(ROUTES_FILE, recorded, locale)


def department_name(recorded: str | None, locale: str) -> str | None:
    """A department's name for its code ("K01"); an unknown code or text as recorded."""
    return localized_code(DEPARTMENTS_FILE, recorded, locale)
