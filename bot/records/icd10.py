"""ICD-10 names in Vietnamese and English, from the code table shipped with the bot.

The table (`data/icd10_names.csv`: code, name_vi, name_en) covers the codes the synthetic
records use and the common codes of Vietnamese primary care; the English names are WHO's
ICD-10 titles. The Vietnamese names are not yet checked against the Ministry of Health's list
(QĐ 4469/QĐ-BYT): see `data/README.md`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

TABLE_FILE = "icd10_names.csv"
TABLE_LANGUAGES = ("vi", "en")
"""Languages the table has names in; other languages see the recorded name first."""


@dataclass(frozen=True, slots=True)
class Icd10Name:
    """The names of one ICD-10 code or category."""

    code: str
    name_vi: str
    name_en: str

    def in_language(self, language: str) -> str:
        """The Vietnamese name for `vi`, else the English one."""
        return self.name_vi if language == "vi" else self.name_en


def normalize_code(code: str) -> str:
    """`e119 ` -> `E11.9`: upper case, no spaces, a dot after the three-character category."""
    text = "".join(code.split()).upper()
    if len(text) > 3 and "." not in text:
        text = f"{text[:3]}.{text[3:]}"
    return text


@cache
def icd10_table() -> dict[str, Icd10Name]:
    """The shipped table, by normalized code (read once)."""
    text = resources.files("bot.records").joinpath("data", TABLE_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    names = (Icd10Name(normalize_code(r["code"]), r["name_vi"].strip(), r["name_en"].strip()) for r in rows)
    return {name.code: name for name in names}


def lookup(code: str) -> Icd10Name | None:
    """The table entry for the exact code, else for its three-character category."""
    table = icd10_table()
    normalized = normalize_code(code)
    return table.get(normalized) or table.get(normalized[:3])


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_", 1)[0].lower()


def localized_diagnosis_name(code: str | None, recorded_name: str | None, locale: str) -> str:
    """A diagnosis name in the reader's language where the table has one, else as recorded.

    Vietnamese and English readers see the table's name for the exact code; for a code the table
    lacks, English readers see the name of its category (the code stays visible next to it),
    Vietnamese readers the recorded name (written in Vietnamese by the facility, and more
    specific than the category) or, when none was recorded, the category's name. Readers of
    languages the table lacks (Khmer, Bengali) see the recorded name, else the English name.

    Args:
        code: The ICD-10 code, or None when the diagnosis is not coded in ICD-10.
        recorded_name: The name the record carries, if any.
        locale: The reader's locale (`vi`, `en`, `km`, `bn`).

    Returns:
        The name to show; empty when there is neither a recorded name nor a table entry.
    """
    recorded = (recorded_name or "").strip()
    if not code:
        return recorded
    language = _language(locale)
    exact = icd10_table().get(normalize_code(code))
    if language in TABLE_LANGUAGES and exact is not None:
        return exact.in_language(language)
    if recorded and language != "en":
        return recorded
    entry = lookup(code)
    if entry is None:
        return recorded
    return entry.in_language(language)
