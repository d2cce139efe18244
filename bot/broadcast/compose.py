"""Parameters typed by staff, and the localized message each recipient language gets."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers

from bot.broadcast.kinds import ANSWERS_BY_KIND, AlertAnswer, BroadcastKind
from bot.broadcast.templates import (
    FOOTER_MUTE,
    FOOTER_TRUST,
    HEADER,
    URGENT_MARK,
    ParamKind,
    Template,
)
from bot.i18n import Catalogs, Translator
from bot.views.reply import MAX_MESSAGE_LENGTH, esc

MAX_PARAM_LENGTH = 200
MAX_FREE_TEXT_LENGTH = 3500
PREVIEW_ROOM = 100  # the staff preview prefixes each message with its language
_HOTLINE = re.compile(r"^(1\d{2}|1[89]00\d{4,6})$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M")


class ParamProblem(StrEnum):
    """Why a typed value was refused."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_DATE = "bad_date"
    BAD_DATETIME = "bad_datetime"
    BAD_PHONE = "bad_phone"
    END_BEFORE_START = "end_before_start"
    MESSAGE_TOO_LONG = "message_too_long"


class ParamError(ValueError):
    """A value staff typed cannot be used; `problem` says why."""

    def __init__(self, problem: ParamProblem, name: str | None = None) -> None:
        super().__init__(problem.value if name is None else f"{name}: {problem.value}")
        self.problem = problem
        self.name = name


def _parse_with(formats: tuple[str, ...], raw: str) -> datetime | None:
    for pattern in formats:
        try:
            return datetime.strptime(raw, pattern)
        except ValueError:
            continue
    return None


def parse_date(raw: str) -> date:
    """A day typed as 26/11/2026 or 2026-11-26."""
    parsed = _parse_with(_DATE_FORMATS, raw.strip())
    if parsed is None:
        raise ParamError(ParamProblem.BAD_DATE)
    return parsed.date()


def parse_local_datetime(raw: str, zone: ZoneInfo) -> datetime:
    """A local date and time typed as 26/11/2026 14:30 (or ISO), returned in UTC."""
    text = raw.strip()
    parsed = _parse_with(_DATETIME_FORMATS, text)
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ParamError(ParamProblem.BAD_DATETIME) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def parse_phone(raw: str) -> str:
    """A Vietnamese phone number or hotline, in the form people dial."""
    digits = re.sub(r"[\s.\-()]", "", raw)
    if _HOTLINE.match(digits):
        return digits
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        raise ParamError(ParamProblem.BAD_PHONE) from None
    if not phonenumbers.is_valid_number(number):
        raise ParamError(ParamProblem.BAD_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def parse_param(kind: ParamKind, raw: str, zone: ZoneInfo) -> str:
    """Validate one typed value and return it in stored form (ISO for dates)."""
    text = " ".join(raw.split())
    if not text:
        raise ParamError(ParamProblem.EMPTY)
    if len(text) > MAX_PARAM_LENGTH:
        raise ParamError(ParamProblem.TOO_LONG)
    if kind is ParamKind.DATE:
        return parse_date(text).isoformat()
    if kind is ParamKind.DATETIME:
        return parse_local_datetime(text, zone).isoformat()
    if kind is ParamKind.PHONE:
        return parse_phone(text)
    return text


def parse_free_text(raw: str) -> str:
    """Free text as written, with surrounding blank space removed."""
    text = raw.strip()
    if not text:
        raise ParamError(ParamProblem.EMPTY)
    if len(text) > MAX_FREE_TEXT_LENGTH:
        raise ParamError(ParamProblem.TOO_LONG)
    return text


def check_params(template: Template, params: dict[str, str]) -> None:
    """Every parameter present, and a time range that ends after it starts."""
    for param in template.params:
        if not params.get(param.name):
            raise ParamError(ParamProblem.EMPTY, param.name)
    if "start" in params and "end" in params and params["end"] <= params["start"]:
        raise ParamError(ParamProblem.END_BEFORE_START, "end")
    if (
        "start_date" in params
        and "end_date" in params
        and params["end_date"] < params["start_date"]
    ):
        raise ParamError(ParamProblem.END_BEFORE_START, "end_date")


def _shown(kind: ParamKind, stored: str, t: Translator) -> str:
    if kind is ParamKind.DATE:
        return esc(t.format_date(date.fromisoformat(stored)))
    if kind is ParamKind.DATETIME:
        return esc(t.format_datetime(datetime.fromisoformat(stored)))
    return f"<b>{esc(stored)}</b>"


def render_text(
    template: Template, params: dict[str, str], free_text: str | None, urgent: bool, t: Translator
) -> str:
    """The HTML message in one language: localized header, body and footer."""
    icon = "🔔" if template.kind.is_alert else "📢"
    title = esc(t.gettext(template.title))
    heading = f"⚠️ {esc(t.gettext(URGENT_MARK))} — {title}" if urgent else f"{icon} {title}"
    if template.body is None:
        body = esc(free_text or "")
    else:
        values = {p.name: _shown(p.kind, params[p.name], t) for p in template.params}
        body = t.gettext(template.body).format(**values)
    lines = [f"<b>{heading}</b>", f"<i>{esc(t.gettext(HEADER))}</i>", "", body, ""]
    lines.append(f"<i>{esc(t.gettext(FOOTER_TRUST))}</i>")
    if template.kind is BroadcastKind.NOTICE and not urgent:
        lines.append(f"<i>{esc(t.gettext(FOOTER_MUTE))}</i>")
    return "\n".join(lines)


def answer_label(t: Translator, answer: AlertAnswer) -> str:
    """The label of an answer button in one language."""
    labels = {
        AlertAnswer.ACKNOWLEDGED: t.pgettext("button", "✅ I acknowledge"),
        AlertAnswer.SYMPTOMS: t.pgettext("button", "🤒 I have symptoms"),
        AlertAnswer.CALL_ME: t.pgettext("button", "📞 Please call me"),
        AlertAnswer.WAS_THERE: t.pgettext("button", "📍 I was there"),
        AlertAnswer.NOT_THERE: t.pgettext("button", "🏠 I was not there"),
    }
    return labels[answer]


def answer_buttons(kind: BroadcastKind, t: Translator) -> list[list[dict[str, str]]]:
    """The answer buttons of an alert, one per row, labelled in one language."""
    return [
        [{"label": answer_label(t, answer), "action": answer.value}]
        for answer in ANSWERS_BY_KIND[kind]
    ]


def compose(
    template: Template,
    params: dict[str, str],
    free_text: str | None,
    urgent: bool,
    catalogs: Catalogs,
) -> dict[str, dict[str, Any]]:
    """Text and buttons for every supported language, checked against Telegram's length limit."""
    check_params(template, params)
    if template.is_free_text:
        parse_free_text(free_text or "")
    content: dict[str, dict[str, Any]] = {}
    for locale in catalogs.locales:
        t = catalogs.get(locale)
        text = render_text(template, params, free_text, urgent, t)
        if len(text) > MAX_MESSAGE_LENGTH - PREVIEW_ROOM:
            raise ParamError(ParamProblem.MESSAGE_TOO_LONG)
        content[locale] = {"text": text, "buttons": answer_buttons(template.kind, t)}
    return content
