"""/notice and the guided flow shared with /alert; /notices on|off for citizens; the stop button."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.broadcast import flow, service
from bot.broadcast.compose import ParamError, compose
from bot.broadcast.contacts_csv import MAX_FILE_BYTES
from bot.broadcast.flow import FlowInputError, FlowProblem, FlowState, Step
from bot.broadcast.muting import set_notices_muted
from bot.broadcast.recipients import districts_with_users
from bot.broadcast.service import Actor
from bot.broadcast.telegram_transport import SENDER_KEY
from bot.broadcast.templates import get_template
from bot.context import BotContext
from bot.staff import members
from bot.staff.members import StaffView
from bot.staff.roles import Permission
from bot.views import alerts as citizen_views
from bot.views import broadcast as views
from bot.views.broadcast_progress import progress_reply
from handlers.common import edit, send
from handlers.staff import STAFF_GROUP, allowed_staff, take

FLOW_PERMISSIONS = {"notice": Permission.SEND_NOTICE, "alert": Permission.SEND_ALERT}
MAX_DISTRICT_BUTTONS = 40


def _today(context: BotContext) -> date:
    return context.clock.now().astimezone(context.settings.zone).date()


async def start_flow(update: Update, context: BotContext, mode: str) -> None:
    """Begin a new notice or alert draft, replacing any earlier one."""
    staff = await allowed_staff(update, context, FLOW_PERMISSIONS[mode])
    if staff is None or update.effective_user is None:
        return
    state = FlowState(mode=mode)
    async with context.unit_of_work() as session:
        await flow.save_state(session, update.effective_user.id, state, context.clock.now())
    await show_step(update, context, state)
    raise ApplicationHandlerStop


async def start_notice(update: Update, context: BotContext) -> None:
    """/notice: start the guided notice flow (notifiers and admins)."""
    await start_flow(update, context, "notice")


async def show_step(update: Update, context: BotContext, state: FlowState) -> None:
    """Ask for the current step, or show previews and the summary when the draft is complete."""
    user_id = update.effective_user.id if update.effective_user else 0
    if state.step() is Step.DISTRICT:
        async with context.unit_of_work() as session:
            districts = (await districts_with_users(session, context.clock.now()))[
                :MAX_DISTRICT_BUTTONS
            ]
            state.districts = [name for name, _ in districts]
            await flow.save_state(session, user_id, state, context.clock.now())
        await send(update, context, views.prompt(context.t, state, districts))
        return
    if state.step() is not Step.CONFIRM:
        await send(update, context, views.prompt(context.t, state))
        return
    try:
        async with context.unit_of_work() as session:
            shown = await service.preview(
                session,
                state.draft(),
                now=context.clock.now(),
                today=_today(context),
                catalogs=context.services.catalogs,
            )
    except ParamError as error:  # values fine alone, not together: ask for the culprit again
        flow.forget_conflicting(state, error)
        await send(update, context, views.problem(context.t, error.problem))
        await _save_and_continue(update, context, state)
        return
    await send(update, context, views.preview(context.t, shown.content, context.t.locale))
    await send(update, context, views.summary(context.t, state, shown))


async def _flow_owner(update: Update, context: BotContext) -> tuple[FlowState, StaffView] | None:
    """The user's draft and staff record, if they are allowed to continue it."""
    user = update.effective_user
    if user is None:
        return None
    async with context.unit_of_work() as session:
        state = await flow.load_state(session, user.id)
        if state is None:
            return None
        staff = await members.active_staff(session, user.id)
        if staff is None or not staff.can(FLOW_PERMISSIONS[state.mode]):
            await flow.clear_state(session, user.id)  # revoked while drafting
            return None
    if not await take(update, context):
        return None
    return state, staff


async def _save_and_continue(update: Update, context: BotContext, state: FlowState) -> None:
    user_id = update.effective_user.id if update.effective_user else 0
    async with context.unit_of_work() as session:
        await flow.save_state(session, user_id, state, context.clock.now())
    await show_step(update, context, state)


async def flow_input(update: Update, context: BotContext) -> None:
    """Typed text or an uploaded CSV for the current step of a draft."""
    owner = await _flow_owner(update, context)
    message = update.effective_message
    if owner is None or message is None:
        return
    state, _staff = owner
    try:
        if message.document is not None:
            if state.step() is not Step.CCCD_FILE:
                raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
            if (message.document.file_size or 0) > MAX_FILE_BYTES:
                raise FlowInputError(FlowProblem.UNREADABLE_FILE)
            file = await message.document.get_file()
            contacts = flow.take_document(
                state, bytes(await file.download_as_bytearray()), _today(context)
            )
            await send(
                update,
                context,
                views.import_report(context.t, len(contacts.national_ids), state.bad_rows),
            )
        elif message.text is not None:
            flow.take_text(state, message.text, now=context.clock.now(), zone=context.settings.zone)
        else:
            raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)
    except FlowInputError as error:
        await send(update, context, views.problem(context.t, error.problem))
        raise ApplicationHandlerStop from None
    await _save_and_continue(update, context, state)
    raise ApplicationHandlerStop


async def flow_button(update: Update, context: BotContext) -> None:
    """A button of the draft: template, audience, district, urgent, schedule, send or cancel."""
    query = update.callback_query
    owner = await _flow_owner(update, context)
    if query is None or query.data is None:
        return
    if owner is None:
        await query.answer()
        raise ApplicationHandlerStop
    state, staff = owner
    _, action, *rest = query.data.split(":")
    value = rest[0] if rest else ""
    if action == "noop":
        await query.answer()
        raise ApplicationHandlerStop
    if action == "pv":
        await _switch_preview(update, context, state, value)
        raise ApplicationHandlerStop
    await query.answer()
    with contextlib.suppress(
        TelegramError
    ):  # if the buttons stay, a second press fails the step check
        await query.edit_message_reply_markup(None)
    try:
        if action == "x":
            async with context.unit_of_work() as session:
                await flow.clear_state(session, staff.telegram_user_id or 0)
            await send(update, context, views.cancelled(context.t))
            raise ApplicationHandlerStop
        if action == "send" and state.step() is Step.CONFIRM:
            await _create(update, context, state, staff)
            raise ApplicationHandlerStop
        _apply_choice(state, action, value)
    except FlowInputError as error:
        await send(update, context, views.problem(context.t, error.problem))
    except ParamError as error:
        await send(update, context, views.problem(context.t, error.problem))
    await _save_and_continue(update, context, state)
    raise ApplicationHandlerStop


async def _switch_preview(
    update: Update, context: BotContext, state: FlowState, locale: str
) -> None:
    """Show the preview message in another language, in place."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if state.step() is not Step.CONFIRM or locale not in context.services.catalogs.locales:
        return
    draft = state.draft()
    content = compose(
        get_template(draft.template),
        draft.params,
        draft.free_text,
        draft.urgent,
        context.services.catalogs,
    )
    await edit(query, views.preview(context.t, content, locale))


def _apply_choice(state: FlowState, action: str, value: str) -> None:
    step = state.step()
    if action == "t" and step is Step.TEMPLATE:
        flow.choose_template(state, value)
    elif action == "a" and step is Step.AUDIENCE:
        flow.choose_audience(state, value)
    elif action == "d" and step is Step.DISTRICT and value.isdigit():
        flow.choose_district(state, int(value))
    elif (
        action == "urgent"
        and step is Step.CONFIRM
        and not get_template(state.template or "").kind.is_alert
    ):
        state.urgent = not state.urgent
    elif action == "sched" and step is Step.CONFIRM:
        state.awaiting_schedule = True
    else:
        raise FlowInputError(FlowProblem.UNKNOWN_CHOICE)


async def _create(update: Update, context: BotContext, state: FlowState, staff: StaffView) -> None:
    chat = update.effective_chat
    assert chat is not None
    now = context.clock.now()
    async with context.unit_of_work() as session:
        broadcast_id, _ = await service.create(
            session,
            state.draft(),
            Actor("bot", staff),
            now=now,
            today=_today(context),
            catalogs=context.services.catalogs,
            progress_chat=(chat.id, context.t.locale),
        )
        await flow.clear_state(session, staff.telegram_user_id or 0)
        state_now = await service.progress(session, broadcast_id, now)
    assert state_now is not None
    message = await send(update, context, progress_reply(context.t, state_now))
    async with context.unit_of_work() as session:
        await service.set_progress_message(session, broadcast_id, message.message_id)
    sender = context.application.bot_data.get(SENDER_KEY)
    if sender is not None:
        sender.notify()


async def switch_notices(update: Update, context: BotContext) -> None:
    """/notices off or /notices on: mute or unmute general notices (alerts always arrive)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if not await take(update, context):
        return
    choice = (context.args or [""])[0].lower() if context.args else ""
    if choice not in ("on", "off"):
        muted = bool(context.account and context.account.notices_muted)
        await send(update, context, citizen_views.notices_usage(context.t, muted))
        raise ApplicationHandlerStop
    async with context.unit_of_work() as session:
        await set_notices_muted(session, user.id, chat.id, choice == "off", context.clock.now())
    await send(update, context, citizen_views.notices_switched(context.t, choice == "off"))
    raise ApplicationHandlerStop


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the notice handlers in the staff group (they run before the generic handlers)."""
    application.add_handlers(
        [
            CommandHandler("notice", start_notice),
            CommandHandler("notices", switch_notices),
            CallbackQueryHandler(flow_button, pattern=r"^nf:"),
            MessageHandler((filters.TEXT & ~filters.COMMAND) | filters.Document.ALL, flow_input),
        ],
        group=STAFF_GROUP,
    )
