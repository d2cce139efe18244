"""Reading FHIR data types: dates, codes, names, addresses, extensions and element shapes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.ingest.fhir.errors import EntryError

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
"""Where dates without a time (and times without an offset) are read."""

Json = dict[str, Any]

_DATE_TIME = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


@lru_cache(maxsize=4096)
def _parse_moment(text: str) -> tuple[datetime, bool] | None:
    """The aware UTC instant of a FHIR date/dateTime/instant and whether it had a time."""
    match = _DATE_TIME.match(text)
    if match is None:
        return None
    parts = match.groupdict()
    try:
        day = date(int(parts["year"]), int(parts["month"] or 1), int(parts["day"] or 1))
        if parts["hour"] is None:
            local = datetime(day.year, day.month, day.day, tzinfo=LOCAL_ZONE)
            return local.astimezone(UTC), False
        micro = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
        zone = _zone(parts["zone"])
        moment = datetime(
            day.year,
            day.month,
            day.day,
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"] or 0),
            micro,
            tzinfo=zone,
        )
    except ValueError:
        return None
    return moment.astimezone(UTC), True


def _zone(text: str | None) -> Any:
    if text is None:
        return LOCAL_ZONE
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def to_datetime(value: Any, path: str) -> datetime | None:
    """A FHIR date/dateTime/instant as aware UTC; a day alone is midnight in Vietnam."""
    if value is None:
        return None
    parsed = _parse_moment(value) if isinstance(value, str) else None
    if parsed is None:
        raise EntryError(f"invalid date in {path}")
    return parsed[0]


def to_date(value: Any, path: str) -> date | None:
    """A FHIR date or dateTime as a calendar day in Vietnam; partial dates give the 1st."""
    moment = to_datetime(value, path)
    return None if moment is None else moment.astimezone(LOCAL_ZONE).date()


def obj(element: Mapping[str, Any], name: str, path: str) -> Json | None:
    """A child object, or None when absent."""
    value = element.get(name)
    if value is None or isinstance(value, dict):
        return value
    raise EntryError(f"{path}.{name} must be an object")


def arr(element: Mapping[str, Any], name: str, path: str) -> list[Any]:
    """A child array (empty when absent)."""
    value = element.get(name)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise EntryError(f"{path}.{name} must be an array")


def string(element: Mapping[str, Any], name: str, path: str) -> str | None:
    """A child string, stripped; None when absent or blank."""
    value = element.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryError(f"{path}.{name} must be a string")
    return str(value)


def number(value: Any, path: str) -> float | None:
    """A FHIR decimal or integer."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryError(f"{path} must be a number")
    return float(value)


def codings(concept: Any) -> list[Json]:
    """The codings of a CodeableConcept (tolerating a bare Coding)."""
    if not isinstance(concept, dict):
        return []
    found = concept.get("coding")
    if isinstance(found, list):
        return [c for c in found if isinstance(c, dict)]
    return [concept] if "code" in concept else []


def concept_text(concept: Any) -> str | None:
    """What a person reads of a CodeableConcept: its text, else a coding's display, else a code."""
    if not isinstance(concept, dict):
        return None
    text = concept.get("text")
    if isinstance(text, str) and text.strip():
        return text.strip()
    for coding in codings(concept):
        display = coding.get("display")
        if isinstance(display, str) and display.strip():
            return display.strip()
    for coding in codings(concept):
        if isinstance(coding.get("code"), str):
            return str(coding["code"])
    return None


def coding_in(concept: Any, systems: Iterable[str]) -> Json | None:
    """The first coding of a concept in one of `systems`."""
    wanted = set(systems)
    for coding in codings(concept):
        if coding.get("system") in wanted and isinstance(coding.get("code"), str):
            return coding
    return None


def first_code(concept: Any) -> str | None:
    """The code of a concept's first coding."""
    for coding in codings(concept):
        if isinstance(coding.get("code"), str):
            return str(coding["code"])
    return None


def texts(concepts: Iterable[Any]) -> str | None:
    """The texts of several concepts, joined with "; "."""
    found = [text for text in (concept_text(c) for c in concepts) if text]
    return "; ".join(dict.fromkeys(found)) or None


def human_name(names: list[Any], family_first: bool) -> str | None:
    """A display name: `text`, else family and given names (Vietnamese order by default)."""
    candidates = [n for n in names if isinstance(n, dict)]
    chosen = next((n for n in candidates if n.get("use") == "official"), None)
    chosen = chosen or next((n for n in candidates if n.get("use") not in ("old", "maiden")), None)
    if chosen is None:
        return None
    if isinstance(chosen.get("text"), str) and chosen["text"].strip():
        return " ".join(chosen["text"].split())
    given = " ".join(g for g in chosen.get("given") or () if isinstance(g, str))
    family = chosen.get("family") if isinstance(chosen.get("family"), str) else ""
    parts = [family, given] if family_first else [given, family]
    return " ".join(" ".join(p for p in parts if p).split()) or None


def extension(element: Mapping[str, Any], url: str) -> Json | None:
    """The first extension with this URL."""
    for item in element.get("extension") or ():
        if isinstance(item, dict) and item.get("url") == url:
            return item
    return None


def extension_value(element: Mapping[str, Any], urls: str | Iterable[str]) -> Any:
    """The `value[x]` of the first extension with one of these URLs."""
    for url in (urls,) if isinstance(urls, str) else urls:
        found = extension(element, url)
        if found is not None:
            for key, value in found.items():
                if key.startswith("value"):
                    return value
    return None


def money(value: Any, path: str) -> int | None:
    """A whole-VND amount from valueMoney, valueDecimal or valueInteger."""
    if isinstance(value, dict):
        value = value.get("value")
    amount = number(value, path)
    return None if amount is None else round(amount)
