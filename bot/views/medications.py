"""Medicines: current ones first, then the history, paged."""

from __future__ import annotations

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.callbacks import CallbackAction
from bot.records.common import Page
from bot.records.medications import MedicationItem
from bot.views.formatting import clip, day, facility, name, number, page_heading, route
from bot.views.navigation import back_to_record, pager, with_banner
from bot.views.record import medication_title
from bot.views.reply import Reply, esc


def _medication(t: Translator, position: int, item: MedicationItem) -> str:
    title = f"{position}. {medication_title(item)}"
    if item.active:
        title += f" — <i>{esc(t.gettext('currently taken'))}</i>"
    lines = [title]
    how = [clip(item.dosage, 200)] if item.dosage else []
    how_taken = route(t, item.route)
    if how_taken:
        how.append(how_taken)
    if item.quantity is not None:
        unit = f" {clip(item.unit, 30)}" if item.unit else ""
        how.append(
            t.gettext("quantity {quantity}").format(quantity=number(t, item.quantity) + unit)
        )
    if how:
        lines.append("   " + " · ".join(how))
    prescribed = t.gettext("Prescribed {date}").format(date=day(t, item.authored))
    if item.prescriber:
        prescribed += " · " + name(item.prescriber)
    lines.append(f"   {prescribed} · {facility(t, item.facility)}")
    return "\n".join(lines)


def medications_page(
    t: Translator, page: Page[MedicationItem], subject: SubjectCitizen | None = None
) -> Reply:
    """A page of medicines with previous/next buttons."""
    title = page_heading(t, "💊", t.gettext("Medications"), page.number, page.pages)
    if not page.items:
        text = with_banner(t, subject, f"{title}\n\n{esc(t.gettext('No medications recorded.'))}")
        return Reply(text, [[back_to_record(t)]], protect=True)
    first = (page.number - 1) * page.size + 1
    items = [_medication(t, first + index, item) for index, item in enumerate(page.items)]
    text = with_banner(t, subject, "\n\n".join([title, *items]))
    navigation = pager(t, CallbackAction.MEDICATIONS, page)
    rows = ([navigation] if navigation else []) + [[back_to_record(t)]]
    return Reply(text, rows, protect=True)
