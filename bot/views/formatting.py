"""Localized pieces shared by the record views: values, ranges, markers, labels, dates."""

from __future__ import annotations

from datetime import date, datetime

from bot.i18n import Translator
from bot.records.catalogues import department_name, route_name
from bot.records.icd10 import localized_diagnosis_name
from bot.records.labs import Marker, ResultItem
from bot.views.reply import Button, Reply, esc

TEXT_LIMIT = 300
NAME_LIMIT = 160


def clip(value: object, limit: int = TEXT_LIMIT) -> str:
    """A data value as escaped HTML, whitespace tidied and cut to `limit` characters."""
    text = "\n".join(" ".join(line.split()) for line in str(value).strip().splitlines())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return esc(text)


def name(value: object) -> str:
    """A name (of a person, facility, test, medicine) escaped and cut to a sane length."""
    return clip(value, NAME_LIMIT)


def diagnosis_name(t: Translator, icd10: str | None, recorded_name: str | None) -> str:
    """A diagnosis name in the reader's language where the ICD-10 table has one, else as recorded."""
    return name(localized_diagnosis_name(icd10, recorded_name, t.locale))


def department(t: Translator, value: str | None) -> str | None:
    """The "Department: …" line, a department code named in the reader's language; None if unset."""
    shown = department_name(value, t.locale)
    return t.gettext("Department: {name}").format(name=name(shown)) if shown else None


def route(t: Translator, value: str | None) -> str | None:
    """How a medicine is taken, a route code named in the reader's language; None if unset."""
    shown = route_name(value, t.locale)
    return clip(shown, 60) if shown else None


def facility(t: Translator, value: str | None) -> str:
    """The facility an item comes from."""
    return "🏥 " + (name(value) if value else esc(t.gettext("facility not recorded")))


def day(t: Translator, value: date | datetime | None) -> str:
    """A local date, or a dash when unknown."""
    return esc(t.format_date(value)) if value is not None else "—"


def moment(t: Translator, value: datetime | None) -> str:
    """A local date and time, or a dash when unknown."""
    return esc(t.format_datetime(value)) if value is not None else "—"


def money(t: Translator, amount: int | None) -> str:
    """An amount in VND, or a dash when unknown."""
    return esc(t.format_money(amount)) if amount is not None else "—"


def number(t: Translator, value: float) -> str:
    """A measured number with the locale's separators (up to three decimals)."""
    return esc(t.format_number(round(value, 3)))


UCUM_DISPLAY = {"mm[Hg]": "mmHg", "kg/m2": "kg/m²", "10*3/uL": "10³/µL", "10*6/uL": "10⁶/µL"}
"""Units written in UCUM notation (FHIR), shown the way people write them."""


def unit(value: str) -> str:
    """A unit as people write it, escaped."""
    return clip(UCUM_DISPLAY.get(value.strip(), value), 40)


def result_value(t: Translator, result: ResultItem) -> str:
    """The value of a result with its unit, e.g. `7,2 mmol/L`."""
    if result.value_number is not None:
        text = number(t, result.value_number)
    elif result.value_text:
        text = clip(result.value_text, 120)
    else:
        text = "—"
    return f"{text} {unit(result.unit)}" if result.unit else text


def reference_range(t: Translator, result: ResultItem) -> str | None:
    """The reference range, e.g. `3,9–6,4`, `≤ 5,2`, or the facility's own wording."""
    low, high = result.reference_low, result.reference_high
    if low is not None and high is not None:
        return f"{number(t, low)}–{number(t, high)}"
    if high is not None:
        return f"≤ {number(t, high)}"
    if low is not None:
        return f"≥ {number(t, low)}"
    return clip(result.reference_text, 80) if result.reference_text else None


def marker_label(t: Translator, marker: Marker) -> str:
    """A visible marker for a value outside its range (empty when within or unknown)."""
    if marker is Marker.ABOVE:
        return "▲ " + esc(t.gettext("above range"))
    if marker is Marker.BELOW:
        return "▼ " + esc(t.gettext("below range"))
    if marker is Marker.ABNORMAL:
        return "⚠️ " + esc(t.gettext("abnormal"))
    return ""


def result_line(t: Translator, result: ResultItem, with_date: bool = True) -> str:
    """`value unit ▲ above range (reference 3,9–6,4) · date · facility` for one result."""
    parts = [f"<b>{result_value(t, result)}</b>"]
    marker = marker_label(t, result.marker)
    if marker:
        parts.append(marker)
    reference = reference_range(t, result)
    if reference:
        parts.append(t.gettext("(reference {range})").format(range=reference))
    text = " ".join(parts)
    if with_date:
        text += f" · {day(t, result.effective)} · {facility(t, result.facility)}"
    return text


def sex_label(t: Translator, sex: str) -> str:
    """The citizen's sex in the user's language."""
    labels = {
        "male": t.pgettext("sex", "Male"),
        "female": t.pgettext("sex", "Female"),
        "other": t.pgettext("sex", "Other"),
    }
    return esc(labels.get(sex, t.pgettext("sex", "Not recorded")))


def severity_label(t: Translator, severity: str | None, criticality: str | None) -> str | None:
    """An allergy's severity (mild, moderate, severe), else its risk (high, low)."""
    labels = {
        "mild": t.pgettext("allergy", "mild"),
        "moderate": t.pgettext("allergy", "moderate"),
        "severe": t.pgettext("allergy", "severe"),
        "high": t.pgettext("allergy", "high risk"),
        "low": t.pgettext("allergy", "low risk"),
    }
    for value in (severity, criticality):
        if value and value.lower() in labels:
            return esc(labels[value.lower()])
    return None


def heading(emoji: str, title: str) -> str:
    """A section heading: emoji and bold title (the title already translated, not yet escaped)."""
    return f"{emoji} <b>{esc(title)}</b>"


def page_heading(t: Translator, emoji: str, title: str, number: int, pages: int) -> str:
    """A heading with `page n of m` when there is more than one page."""
    if pages <= 1:
        return heading(emoji, title)
    label = t.gettext("page {number} of {pages}").format(number=number, pages=pages)
    return f"{heading(emoji, title)} — {esc(label)}"


def with_buttons(
    messages: list[str], buttons: list[list[Button]], protect: bool = True
) -> list[Reply]:
    """Replies for split messages; the buttons go under the last one."""
    last = len(messages) - 1
    return [
        Reply(text, buttons if index == last else [], protect=protect)
        for index, text in enumerate(messages)
    ]
