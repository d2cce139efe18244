"""Family access: a guardian's children under 14, switching to a child's record and back."""

from __future__ import annotations

from bot.i18n import Translator
from bot.records.access import ChildItem
from bot.records.callbacks import CallbackAction
from bot.records.family import SwitchOutcome, SwitchResult
from bot.views.formatting import day, heading, name
from bot.views.navigation import back_to_record, button, own_record_button
from bot.views.reply import Button, Reply, esc

BUTTON_NAME_LENGTH = 40


def _age(t: Translator, child: ChildItem) -> str:
    return esc(
        t.ngettext("{count} year old", "{count} years old", child.age).format(count=child.age)
    )


def children(
    t: Translator, items: tuple[ChildItem, ...], *, acting_for_child: bool = False
) -> Reply:
    """The children whose records the guardian may open, one button each."""
    title = heading("👨‍👩‍👧", t.gettext("Family"))
    if not items:
        text = esc(t.gettext("No children under 14 are recorded with you as their guardian."))
        rows: list[list[Button]] = [[back_to_record(t)]]
        if acting_for_child:
            rows.insert(0, [own_record_button(t)])
        return Reply(f"{title}\n\n{text}", rows)
    intro = esc(t.gettext("You can see the health records of your children under 14."))
    lines = [
        f"• <b>{name(child.full_name)}</b> — {day(t, child.birth_date)} ({_age(t, child)})"
        for child in items
    ]
    rows = [
        [
            button(
                "👶 " + " ".join(child.full_name.split())[:BUTTON_NAME_LENGTH],
                CallbackAction.SWITCH_TO_CHILD,
                child.citizen_id,
            )
        ]
        for child in items
    ]
    if acting_for_child:
        rows.append([own_record_button(t)])
    rows.append([back_to_record(t)])
    return Reply("\n".join([title, "", intro, *lines]), rows, protect=True)


def switched(t: Translator, result: SwitchResult) -> Reply:
    """After a switch: whose record is shown now, or why not."""
    if result.outcome is SwitchOutcome.SWITCHED and result.child is not None:
        text = t.gettext(
            "👶 You are now viewing the record of <b>{name}</b>. "
            "Every view is recorded in the access log."
        ).format(name=name(result.child.full_name))
        rows = [
            [button(t.pgettext("button", "🩺 Open the record"), CallbackAction.RECORD)],
            [own_record_button(t)],
        ]
        return Reply(text, rows, protect=True)
    return refused(t)


def refused(t: Translator) -> Reply:
    """The record asked for is not the user's own nor that of their child under 14."""
    text = esc(
        t.gettext(
            "You can only see your own record and those of your children under 14 "
            "for whom you are the recorded guardian. You are back on your own record."
        )
    )
    return Reply(text, [[back_to_record(t)]])


def back_to_own(t: Translator) -> Reply:
    """Confirmation of the switch back to one's own record."""
    return Reply(esc(t.gettext("You are viewing your own record again.")), [[back_to_record(t)]])
