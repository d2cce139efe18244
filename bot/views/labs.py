"""Lab results: the latest value of each test (paged), and the history of one test."""

from __future__ import annotations

from bot.i18n import Translator
from bot.records.access import SubjectCitizen
from bot.records.callbacks import CallbackAction
from bot.records.common import Page
from bot.records.labs import ResultHistory, ResultItem
from bot.views.formatting import (
    day,
    facility,
    heading,
    name,
    page_heading,
    result_line,
    with_buttons,
)
from bot.views.navigation import back_to_record, button, pager, with_banner
from bot.views.reply import Reply, esc
from bot.views.split import split_at_items

BUTTON_NAME_LENGTH = 28


def _short(text: str) -> str:
    return text if len(text) <= BUTTON_NAME_LENGTH else text[: BUTTON_NAME_LENGTH - 1] + "…"


def labs_page(
    t: Translator, page: Page[ResultItem], subject: SubjectCitizen | None = None
) -> Reply:
    """The latest value of each test with unit, range and marker; a history button for each."""
    title = page_heading(t, "🧪", t.gettext("Lab results"), page.number, page.pages)
    if not page.items:
        text = with_banner(t, subject, f"{title}\n\n{esc(t.gettext('No lab results recorded.'))}")
        return Reply(text, [[back_to_record(t)]], protect=True)
    first = (page.number - 1) * page.size + 1
    lines = [
        f"{first + index}. <b>{name(item.name)}</b>: {result_line(t, item)}"
        for index, item in enumerate(page.items)
    ]
    note = esc(t.gettext("▲ above and ▼ below the reference range of the facility."))
    text = with_banner(t, subject, "\n\n".join([title, *lines, f"<i>{note}</i>"]))
    history = [
        [
            button(
                t.pgettext("button", "📈 {number}. {test}").format(
                    number=first + index, test=_short(" ".join(item.name.split()))
                ),
                CallbackAction.LAB_HISTORY,
                item.observation_id,
            )
        ]
        for index, item in enumerate(page.items)
        if item.values_recorded > 1
    ]
    navigation = pager(t, CallbackAction.LABS, page)
    rows = history + ([navigation] if navigation else []) + [[back_to_record(t)]]
    return Reply(text, rows, protect=True)


def lab_history(
    t: Translator, history: ResultHistory, subject: SubjectCitizen | None = None
) -> list[Reply]:
    """Every recorded value of one test, newest first."""
    header = with_banner(
        t,
        subject,
        heading("📈", t.gettext("History: {test}").format(test=" ".join(history.name.split()))),
    )
    items = [
        f"• {day(t, item.effective)}: {result_line(t, item, with_date=False)}"
        f" · {facility(t, item.facility)}"
        for item in history.items
    ]
    buttons = [
        [button(t.pgettext("button", "⬅️ Lab results"), CallbackAction.LABS, 1), back_to_record(t)]
    ]
    return with_buttons(split_at_items(header, items), buttons)


def lab_not_found(t: Translator) -> Reply:
    """The result does not exist or is not in this record."""
    return Reply(esc(t.gettext("This result is not in your record.")), [[back_to_record(t)]])
