"""/staff CODE, /stats and the stop button of a broadcast; gatekeeping for every staff command.

Staff handlers run in `STAFF_GROUP`, before the shared `prepare` group. A handler that takes an
update prepares it itself and stops further processing; for anyone who is not allowed it does
nothing, so the ordinary handlers answer exactly as they answer an unknown command.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler

from bot.broadcast import service
from bot.broadcast.service import Actor
from bot.broadcast.stats import statistics
from bot.context import BotContext
from bot.staff import members
from bot.staff.audit import audit
from bot.staff.members import BindOutcome, StaffView
from bot.staff.roles import Permission
from bot.views import staff as views
from bot.views.broadcast_progress import cancel_answer
from handlers.common import send
from handlers.consent import has_current_consent
from handlers.prepare import prepare_update

logger = logging.getLogger(__name__)
STAFF_GROUP = -2


async def take(update: Update, context: BotContext) -> bool:
    """Prepare an update (account, language) as `prepare` would; True when the user has consented.

    Without consent the caller leaves the update alone, so the consent gate answers it exactly as
    it answers any other command.
    """
    await prepare_update(update, context)
    return has_current_consent(context.account)


async def allowed_staff(
    update: Update, context: BotContext, permission: Permission
) -> StaffView | None:
    """The active staff member behind the update if their role grants `permission`, else None."""
    user = update.effective_user
    if user is None or update.effective_chat is None or update.effective_chat.type != "private":
        return None
    async with context.unit_of_work() as session:
        staff = await members.active_staff(session, user.id)
    if staff is None or not staff.can(permission) or not await take(update, context):
        return None
    return staff


async def show_staff_menu(context: BotContext, staff: StaffView) -> None:
    """Set the staff member's private command menu now; the sender task retries if this fails."""
    if staff.chat_id is None:
        return
    commands = [BotCommand(name, text) for name, text in views.chat_commands(context.t, staff)]
    try:
        await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(staff.chat_id))
    except TelegramError:
        logger.warning("staff %s: menu will be set by the sender task", staff.id, exc_info=True)
        return
    async with context.unit_of_work() as session:
        await members.mark_menu_synced(session, staff.id)


async def bind(update: Update, context: BotContext) -> None:
    """Bind the sender's Telegram account to the staff member whose one-time code they sent."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if (
        user is None
        or chat is None
        or message is None
        or chat.type != "private"
        or len(context.args or []) != 1
    ):
        return
    if not await take(update, context):
        return  # the consent gate answers; the code stays unused until they agree
    code = (context.args or [""])[0]
    async with context.unit_of_work() as session:
        outcome, staff = await members.bind(
            session, code=code, telegram_user_id=user.id, chat_id=chat.id, now=context.clock.now()
        )
    if outcome is BindOutcome.INVALID or staff is None:
        return  # answered like any unknown command
    try:
        await message.delete()  # the code should not linger in the chat
    except TelegramError:
        logger.info("could not delete the staff code message")
    if outcome is BindOutcome.ALREADY_STAFF:
        await send(update, context, views.already_staff(context.t, staff))
    else:
        await show_staff_menu(context, staff)
        await send(update, context, views.bound(context.t, staff))
    raise ApplicationHandlerStop


async def show_statistics(update: Update, context: BotContext) -> None:
    """Aggregate usage and broadcast figures, for administrators."""
    staff = await allowed_staff(update, context, Permission.VIEW_STATISTICS)
    if staff is None:
        return
    async with context.unit_of_work() as session:
        figures = await statistics(session, context.clock.now())
        await audit(
            session,
            at=context.clock.now(),
            actor_kind="staff",
            actor_telegram_id=staff.telegram_user_id,
            action="staff.statistics",
            outcome="ok",
        )
    await send(update, context, views.statistics(context.t, figures))
    raise ApplicationHandlerStop


async def stop_broadcast(update: Update, context: BotContext) -> None:
    """The stop button of a progress message (its author or an administrator)."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    staff = await allowed_staff(update, context, Permission.VIEW_BROADCASTS)
    if staff is None:
        return
    async with context.unit_of_work() as session:
        outcome = await service.cancel(
            session, int(query.data.rsplit(":", 1)[1]), Actor("bot", staff), now=context.clock.now()
        )
    await query.answer(cancel_answer(context.t, outcome), show_alert=True)
    raise ApplicationHandlerStop


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the staff handlers in their early group."""
    application.add_handlers(
        [
            CommandHandler("staff", bind),
            CommandHandler("stats", show_statistics),
            CallbackQueryHandler(stop_broadcast, pattern=r"^bc:x:\d+$"),
        ],
        group=STAFF_GROUP,
    )
