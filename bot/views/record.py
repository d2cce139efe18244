"""The record summary (/record): one message, never over Telegram's limit, with a section menu."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.conditions import AllergyItem, ConditionItem, icd10_code
from bot.records.labs import KeyResult, KeyResultKind, Marker
from bot.records.medications import MedicationItem
from bot.records.summary import PersonFacts, RecordSummary
from bot.records.vaccinations import VaccinationItem
from bot.records.visits import VisitItem
from bot.views.formatting import (
    clip,
    day,
    diagnosis_name,
    facility,
    heading,
    marker_label,
    name,
    number,
    result_line,
    severity_label,
    sex_label,
    unit,
)
from bot.views.navigation import own_record_button, section_menu, with_banner
from bot.views.reply import MAX_MESSAGE_LENGTH, Reply, esc
from bot.views.split import telegram_length


@dataclass(frozen=True)
class _Block:
    """A titled list on the summary: as many lines as fit, then `…and N more`."""

    title: str
    lines: tuple[str, ...]
    total: int
    empty: str
    shown: int

    def render(self, t: Translator) -> str:
        if not self.lines:
            return f"{self.title}\n{self.empty}"
        body = list(self.lines[: self.shown])
        hidden = self.total - self.shown
        if hidden > 0:
            body.append(
                esc(
                    t.ngettext("…and {count} more", "…and {count} more", hidden).format(
                        count=hidden
                    )
                )
            )
        return "\n".join([self.title, *body])


def _person(t: Translator, person: PersonFacts) -> str:
    lines = [heading("🩺", t.gettext("Health record")), f"<b>{name(person.full_name)}</b>"]
    if person.birth_date is not None and person.age is not None:
        age = t.ngettext("{count} year old", "{count} years old", person.age).format(
            count=person.age
        )
        born = t.gettext("Date of birth: {date} ({age})").format(
            date=day(t, person.birth_date), age=esc(age)
        )
    else:
        born = t.gettext("Date of birth: {date}").format(date=esc(t.gettext("not recorded")))
    lines.append(born)
    lines.append(t.gettext("Sex: {sex}").format(sex=sex_label(t, person.sex)))
    national_id = person.masked_national_id or t.gettext("not recorded")
    lines.append(t.gettext("Citizen ID: {id}").format(id=esc(national_id)))
    blood = clip(person.blood_type, 12) if person.blood_type else esc(t.gettext("not recorded"))
    lines.append(t.gettext("Blood type: {blood}").format(blood=blood))
    return "\n".join(lines)


def _allergy(t: Translator, item: AllergyItem) -> str:
    severity = severity_label(t, item.severity, item.criticality)
    text = f"• <b>{name(item.substance)}</b>"
    if severity:
        text += f" — {severity}"
    if item.reaction:
        text += f" ({clip(item.reaction, 120)})"
    return f"{text} · {facility(t, item.facility)}"


def _condition(t: Translator, item: ConditionItem) -> str:
    code = f" <code>{esc(item.icd10)}</code>" if item.icd10 else ""
    title = diagnosis_name(t, item.icd10, item.name) or esc(t.gettext("unnamed condition"))
    return f"• {title}{code} · {facility(t, item.facility)}"


def medication_title(item: MedicationItem) -> str:
    """`<b>name strength</b>` of a medicine."""
    strength = f" {clip(item.strength, 60)}" if item.strength else ""
    return f"<b>{name(item.name)}{strength}</b>"


def _medication(t: Translator, item: MedicationItem) -> str:
    dosage = f" — {clip(item.dosage, 160)}" if item.dosage else ""
    return f"• {medication_title(item)}{dosage} · {facility(t, item.facility)}"


def vaccination_line(t: Translator, item: VaccinationItem) -> str:
    """`• vaccine (disease) — date · facility`."""
    disease = f" ({name(item.target_disease)})" if item.target_disease else ""
    when = day(t, item.occurred)
    return f"• {name(item.vaccine_name)}{disease} — {when} · {facility(t, item.facility)}"


def visit_line(t: Translator, item: VisitItem) -> str:
    """`<b>date</b> · facility — main diagnosis CODE`."""
    text = f"<b>{day(t, item.start)}</b> · {facility(t, item.facility)}"
    if item.main_diagnosis_name or item.main_diagnosis_code:
        code = f" <code>{esc(item.main_diagnosis_code)}</code>" if item.main_diagnosis_code else ""
        icd10 = icd10_code(item.main_diagnosis_code, None)
        text += f" — {diagnosis_name(t, icd10, item.main_diagnosis_name)}{code}"
    return text


def key_result_label(t: Translator, kind: KeyResultKind) -> str:
    """The name of a key result."""
    labels = {
        KeyResultKind.BLOOD_PRESSURE: t.gettext("Blood pressure"),
        KeyResultKind.GLUCOSE: t.gettext("Blood glucose"),
        KeyResultKind.HBA1C: t.gettext("HbA1c"),
        KeyResultKind.CHOLESTEROL: t.gettext("Total cholesterol"),
        KeyResultKind.CREATININE: t.gettext("Creatinine"),
        KeyResultKind.EGFR: t.gettext("eGFR (kidney function)"),
        KeyResultKind.BMI: t.gettext("Body mass index"),
        KeyResultKind.WEIGHT: t.gettext("Weight"),
    }
    return esc(labels[kind])


def _key_result(t: Translator, key: KeyResult) -> str:
    label = key_result_label(t, key.kind)
    first, second = key.result, key.companion
    if second is None or first.value_number is None or second.value_number is None:
        return f"• {label}: {result_line(t, first)}"
    measure = f" {unit(first.unit)}" if first.unit else ""
    markers = {first.marker, second.marker}
    worst = next((m for m in (Marker.ABOVE, Marker.BELOW) if m in markers), Marker.NORMAL)
    marker = f" {marker_label(t, worst)}" if marker_label(t, worst) else ""
    value = f"{number(t, first.value_number)}/{number(t, second.value_number)}{measure}"
    where = facility(t, first.facility)
    return f"• {label}: <b>{value}</b>{marker} · {day(t, first.effective)} · {where}"


def _block(title: str, lines: list[str], total: int, empty: str) -> _Block:
    return _Block(title, tuple(lines), max(total, len(lines)), esc(empty), len(lines))


def _blocks(t: Translator, summary: RecordSummary) -> list[_Block]:
    allergies, conditions, medications = summary.allergies, summary.conditions, summary.medications
    vaccination = summary.latest_vaccination
    return [
        _block(
            heading("⚠️", t.gettext("Allergies")),
            [_allergy(t, item) for item in allergies.items],
            allergies.total,
            t.gettext("No allergies recorded."),
        ),
        _block(
            heading("🩺", t.gettext("Active conditions")),
            [_condition(t, item) for item in conditions.items],
            conditions.total,
            t.gettext("No active conditions recorded."),
        ),
        _block(
            heading("💊", t.gettext("Current medications")),
            [_medication(t, item) for item in medications.items],
            medications.total,
            t.gettext("No current medications recorded."),
        ),
        _block(
            heading("💉", t.gettext("Latest vaccination")),
            [vaccination_line(t, vaccination)] if vaccination else [],
            0,
            t.gettext("No vaccinations recorded."),
        ),
        _block(
            heading("📋", t.gettext("Recent visits")),
            ["• " + visit_line(t, item) for item in summary.recent_visits],
            0,
            t.gettext("No visits recorded."),
        ),
        _block(
            heading("🧪", t.gettext("Latest results")),
            [_key_result(t, item) for item in summary.key_results],
            0,
            t.gettext("No key results recorded."),
        ),
    ]


def _fit(t: Translator, head: str, blocks: list[_Block], limit: int) -> str:
    """Drop lines from the longest lists until the message fits."""
    while True:
        text = "\n\n".join([head, *(b.render(t) for b in blocks)])
        fullest = max(range(len(blocks)), key=lambda index: blocks[index].shown)
        if telegram_length(text) <= limit or blocks[fullest].shown == 0:
            return text
        blocks[fullest] = replace(blocks[fullest], shown=blocks[fullest].shown - 1)


def record_summary(
    t: Translator,
    summary: RecordSummary,
    *,
    subject: SubjectCitizen | None = None,
    has_children: bool = False,
    limit: int = MAX_MESSAGE_LENGTH,
) -> Reply:
    """The summary message with the menu of sections.

    Args:
        t: The reader's translator.
        summary: From `bot.records.summary.record_summary` (or `RecordReader.summary`).
        subject: Whose record it is; a child's record gets a banner and a way back.
        has_children: Show the family button (the reader is a guardian of children under 14).
        limit: The message length limit (Telegram's by default).
    """
    head = with_banner(t, subject, _person(t, summary.person))
    text = _fit(t, head, _blocks(t, summary), limit)
    is_child = subject is not None and subject.is_child
    buttons = section_menu(t, family=has_children and not is_child)
    if is_child:
        buttons.append([own_record_button(t)])
    return Reply(text, buttons, protect=True)


def not_found(t: Translator) -> Reply:
    """No record is held for the signed-in citizen (should not happen after sign-in)."""
    return Reply(esc(t.gettext("No health record was found for you.")))
