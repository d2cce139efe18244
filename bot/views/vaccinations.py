"""Vaccinations, grouped by the disease they protect against."""

from __future__ import annotations

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.vaccinations import DiseaseVaccinations, VaccinationItem
from bot.views.formatting import clip, day, facility, heading, name, with_buttons
from bot.views.navigation import back_to_record, with_banner
from bot.views.reply import Reply, esc
from bot.views.split import split_at_items


def _dose(t: Translator, item: VaccinationItem) -> str:
    parts = [f"• {day(t, item.occurred)}"]
    if item.dose_number:
        parts.append(t.gettext("dose {number}").format(number=clip(item.dose_number, 20)))
    parts.append(name(item.vaccine_name))
    if item.lot_number:
        parts.append(t.gettext("lot {lot}").format(lot=clip(item.lot_number, 40)))
    parts.append(facility(t, item.facility))
    return " · ".join(parts)


def _group(t: Translator, group: DiseaseVaccinations) -> str:
    count = len(group.doses)
    doses = t.ngettext("{count} dose", "{count} doses", count).format(count=count)
    title = f"<b>{name(group.disease)}</b> ({esc(doses)})"
    return "\n".join([title, *(_dose(t, dose) for dose in group.doses)])


def vaccinations(
    t: Translator, groups: tuple[DiseaseVaccinations, ...], subject: SubjectCitizen | None = None
) -> list[Reply]:
    """The complete list of vaccinations by disease (split at diseases when long)."""
    title = with_banner(t, subject, heading("💉", t.gettext("Vaccinations")))
    buttons = [[back_to_record(t)]]
    if not groups:
        return [
            Reply(
                f"{title}\n\n{esc(t.gettext('No vaccinations recorded.'))}", buttons, protect=True
            )
        ]
    items = [_group(t, group) for group in groups]
    return with_buttons(split_at_items(title, items, separator="\n\n"), buttons)
