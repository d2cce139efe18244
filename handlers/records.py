"""The citizen's record, appointments, insurance, family and reminders: commands, buttons, typed text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import Update

from bot.context import BotContext
from bot.i18n import Translator
from bot.records import family
from bot.records.access import AccessRefusedError
from bot.records.appointments import get_appointment
from bot.records.callbacks import Callback, CallbackAction, parse_callback
from bot.records.intents import Intent, match_intent
from bot.records.reader import RecordReader, open_record
from bot.records.reminders import set_reminders
from bot.views import appointments as appointment_views
from bot.views import family as family_views
from bot.views import labs as lab_views
from bot.views import medications as medication_views
from bot.views import record as record_views
from bot.views import reminders as reminder_views
from bot.views import vaccinations as vaccination_views
from bot.views import visits as visit_views
from bot.views.insurance import insurance as insurance_view
from bot.views.reply import Reply
from handlers.common import edit, send
from handlers.guard import signed_in_citizen
from handlers.language import show_picker
from handlers.start import help_command, not_understood

Show = Callable[[RecordReader, Translator, int | None, datetime], Awaitable[list[Reply]]]


async def _summary(reader: RecordReader, t: Translator, _: int | None, __: datetime) -> list[Reply]:
    summary, children = await reader.summary_with_children()
    if summary is None:
        return [record_views.not_found(t)]
    return [record_views.record_summary(t, summary, subject=reader.subject, has_children=bool(children))]


async def _visits(reader: RecordReader, t: Translator, page: int | None, _: datetime) -> list[Reply]:
    return [visit_views.visits_page(t, await reader.visits(page or 1), reader.subject)]


async def _visit(reader: RecordReader, t: Translator, visit_id: int | None, _: datetime) -> list[Reply]:
    detail = await reader.visit(visit_id or 0)
    if detail is None:
        return [visit_views.visit_not_found(t)]
    return visit_views.visit_detail(t, detail, reader.subject)


async def _labs(reader: RecordReader, t: Translator, page: int | None, _: datetime) -> list[Reply]:
    return [lab_views.labs_page(t, await reader.labs(page or 1), reader.subject)]


async def _lab_history(reader: RecordReader, t: Translator, number: int | None, _: datetime) -> list[Reply]:
    history = await reader.lab_history(number or 0)
    if history is None:
        return [lab_views.lab_not_found(t)]
    return lab_views.lab_history(t, history, reader.subject)


async def _vaccinations(reader: RecordReader, t: Translator, _: int | None, __: datetime) -> list[Reply]:
    return vaccination_views.vaccinations(t, await reader.vaccinations(), reader.subject)


async def _medications(reader: RecordReader, t: Translator, page: int | None, _: datetime) -> list[Reply]:
    return [medication_views.medications_page(t, await reader.medications(page or 1), reader.subject)]


async def _appointments(reader: RecordReader, t: Translator, _: int | None, now: datetime) -> list[Reply]:
    return appointment_views.appointments(t, await reader.appointments(), now, reader.subject)


async def _cancel_ask(reader: RecordReader, t: Translator, number: int | None, _: datetime) -> list[Reply]:
    item = await reader.appointment(number or 0)
    if item is None:
        return [appointment_views.appointment_not_found(t)]
    return [appointment_views.cancel_confirmation(t, item)]


async def _cancel(reader: RecordReader, t: Translator, number: int | None, _: datetime) -> list[Reply]:
    return [appointment_views.cancel_result(t, await reader.cancel(number or 0))]


async def _calendar(reader: RecordReader, t: Translator, number: int | None, now: datetime) -> list[Reply]:
    item = await reader.appointment(number or 0)
    if item is None:
        return [appointment_views.appointment_not_found(t)]
    return [appointment_views.calendar_reply(t, item, now)]


async def _insurance(reader: RecordReader, t: Translator, _: int | None, __: datetime) -> list[Reply]:
    return insurance_view(t, await reader.insurance(), reader.subject)


async def _family(reader: RecordReader, t: Translator, _: int | None, __: datetime) -> list[Reply]:
    return [family_views.children(t, await reader.children(), acting_for_child=reader.subject.is_child)]


SECTIONS: dict[CallbackAction, Show] = {
    CallbackAction.RECORD: _summary,
    CallbackAction.VISITS: _visits,
    CallbackAction.VISIT: _visit,
    CallbackAction.LABS: _labs,
    CallbackAction.LAB_HISTORY: _lab_history,
    CallbackAction.VACCINATIONS: _vaccinations,
    CallbackAction.MEDICATIONS: _medications,
    CallbackAction.APPOINTMENTS: _appointments,
    CallbackAction.CANCEL_ASK: _cancel_ask,
    CallbackAction.CANCEL_CONFIRM: _cancel,
    CallbackAction.CALENDAR: _calendar,
    CallbackAction.INSURANCE: _insurance,
    CallbackAction.FAMILY: _family,
}


BY_APPOINTMENT = frozenset(
    {CallbackAction.CANCEL_ASK, CallbackAction.CANCEL_CONFIRM, CallbackAction.CALENDAR}
)
"""Buttons naming one appointment; a reminder's buttons name one of the citizen's own."""


async def _read(update: Update, context: BotContext, citizen_id: int, request: Callback) -> list[Reply]:
    """Open the record the account may see and render the requested section.

    A guardian looking at a child's record may press a button of a reminder about their own
    appointment: an appointment that is not the child's is then looked for in their own record.
    """
    user_id = update.effective_user.id if update.effective_user else 0
    acting_for = context.account.acting_for_citizen_id if context.account else None
    now = context.clock.now()
    async with context.unit_of_work() as session:
        try:
            reader = await open_record(
                session, telegram_user_id=user_id, citizen_id=citizen_id, acting_for=acting_for, now=now
            )
        except AccessRefusedError:
            await family.switch_to_self(session, user_id, citizen_id)
            return [family_views.refused(context.t)]
        if (
            request.action in BY_APPOINTMENT
            and reader.subject.is_child
            and await get_appointment(session, reader.subject.citizen_id, request.number or 0) is None
        ):
            reader = await open_record(
                session, telegram_user_id=user_id, citizen_id=citizen_id, acting_for=None, now=now
            )
        return await SECTIONS[request.action](reader, context.t, request.number, now)


async def _switch(update: Update, context: BotContext, citizen_id: int, request: Callback) -> list[Reply]:
    """Switch between the guardian's own record and a child's."""
    user_id = update.effective_user.id if update.effective_user else 0
    async with context.unit_of_work() as session:
        if request.action is CallbackAction.SWITCH_TO_CHILD:
            result = await family.switch_to_child(
                session, user_id, citizen_id, request.number or 0, context.clock.now()
            )
            return [family_views.switched(context.t, result)]
        await family.switch_to_self(session, user_id, citizen_id)
    return [family_views.back_to_own(context.t)]


async def _reminders(update: Update, context: BotContext, request: Callback) -> list[Reply]:
    enabled = request.action is CallbackAction.REMINDERS_ON
    user_id = update.effective_user.id if update.effective_user else 0
    async with context.unit_of_work() as session:
        await set_reminders(session, user_id, enabled)
    return [reminder_views.reminders_setting(context.t, enabled)]


async def _deliver(update: Update, context: BotContext, replies: list[Reply]) -> None:
    """Edit the pressed message in place when one reply fits it; otherwise send new messages."""
    query = update.callback_query
    message = query.message if query else None
    can_edit = (
        query is not None
        and len(replies) == 1
        and replies[0].document is None
        and message is not None
        and (getattr(message, "has_protected_content", False) or not replies[0].protect)
    )
    if can_edit and query is not None:
        await edit(query, replies[0])
        return
    for reply in replies:
        await send(update, context, reply)


async def _answer_button(update: Update) -> None:
    """Stop the pressed button's spinner (each press may be answered only once)."""
    if update.callback_query is not None:
        await update.callback_query.answer()


async def handle(update: Update, context: BotContext, request: Callback) -> None:
    """Answer one record request: check the sign-in, read, render, deliver.

    Reminders can be switched on or off without a running session: they keep coming after
    a session ends, so turning them off must not need the birth date first. The answer is a
    new message, so the reminder whose button was pressed keeps its appointment details.
    """
    if request.action in (CallbackAction.REMINDERS_ON, CallbackAction.REMINDERS_OFF):
        await _answer_button(update)
        for reply in await _reminders(update, context, request):  # the reminder pressed stays
            await send(update, context, reply)
        return
    citizen_id = await signed_in_citizen(update, context)  # on None it answered the button
    if citizen_id is None:
        return
    try:
        if request.action in (CallbackAction.SWITCH_TO_CHILD, CallbackAction.SWITCH_TO_SELF):
            replies = await _switch(update, context, citizen_id, request)
        else:
            replies = await _read(update, context, citizen_id, request)
    finally:  # answered after the unit of work: no connection is held during the Bot API call
        await _answer_button(update)
    await _deliver(update, context, replies)


async def on_button(update: Update, context: BotContext) -> None:
    """A record, appointment, insurance, family or reminder button."""
    query = update.callback_query
    request = parse_callback(query.data if query else None)
    if request is None:
        if query is not None:
            await query.answer()
        return
    await handle(update, context, request)


def command(action: CallbackAction) -> Callable[[Update, BotContext], Awaitable[None]]:
    """A command handler showing one section (/record, /appointments, /insurance, /family)."""

    async def show(update: Update, context: BotContext) -> None:
        await handle(update, context, Callback(action))

    show.__doc__ = f"Show the {action.name.lower()} section."
    return show


async def reminders_command(update: Update, context: BotContext) -> None:
    """/reminders on|off, or the current choice with a button to change it."""
    argument = (context.args or [""])[0].lower()
    if argument in ("on", "off"):
        action = CallbackAction.REMINDERS_ON if argument == "on" else CallbackAction.REMINDERS_OFF
        await handle(update, context, Callback(action))
        return
    enabled = context.account.reminders_enabled if context.account else True
    await send(update, context, reminder_views.reminders_setting(context.t, enabled))


INTENT_ACTIONS = {
    Intent.RECORD: CallbackAction.RECORD,
    Intent.VISITS: CallbackAction.VISITS,
    Intent.LABS: CallbackAction.LABS,
    Intent.VACCINATIONS: CallbackAction.VACCINATIONS,
    Intent.MEDICATIONS: CallbackAction.MEDICATIONS,
    Intent.APPOINTMENTS: CallbackAction.APPOINTMENTS,
    Intent.INSURANCE: CallbackAction.INSURANCE,
    Intent.FAMILY: CallbackAction.FAMILY,
}


async def on_text(update: Update, context: BotContext) -> None:
    """Typed requests ("lich hen", "bảo hiểm", "appointment", ...) lead to the right view."""
    text = update.message.text if update.message else None
    intent = match_intent(text or "")
    if intent is Intent.HELP:
        await help_command(update, context)
    elif intent is Intent.LANGUAGE:
        await show_picker(update, context)
    elif intent is not None and intent in INTENT_ACTIONS:
        await handle(update, context, Callback(INTENT_ACTIONS[intent]))  # lists open on page 1
    else:
        await not_understood(update, context)
