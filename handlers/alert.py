"""/alert (tracers, admins), /alerts with CSV exports, and citizens' answers to alerts."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler

from bot.broadcast import export, responses
from bot.broadcast.kinds import AlertAnswer
from bot.broadcast.responses import AnswerOutcome
from bot.context import BotContext
from bot.staff.audit import audit
from bot.staff.roles import Permission
from bot.views import alerts as views
from bot.views.reply import Reply
from handlers.common import edit, send
from handlers.notice import start_flow
from handlers.staff import STAFF_GROUP, allowed_staff, take


async def start_alert(update: Update, context: BotContext) -> None:
    """/alert: start the guided contact-tracing alert flow."""
    await start_flow(update, context, "alert")


async def show_alerts(update: Update, context: BotContext) -> None:
    """/alerts: live counts of the latest alerts with export buttons."""
    staff = await allowed_staff(update, context, Permission.VIEW_ALERTS)
    if staff is None:
        return
    async with context.unit_of_work() as session:
        latest = await responses.recent_alerts(session)
        await audit(
            session,
            at=context.clock.now(),
            actor_kind="staff",
            actor_telegram_id=staff.telegram_user_id,
            action="alert.overview",
            outcome="ok",
        )
    await send(update, context, views.alerts_overview(context.t, latest))
    raise ApplicationHandlerStop


async def export_alert(update: Update, context: BotContext) -> None:
    """The CSV of answers and unreachable contacts of one alert, as a document."""
    query = update.callback_query
    staff = await allowed_staff(update, context, Permission.VIEW_ALERTS)
    if query is None or query.data is None or staff is None:
        return
    broadcast_id = int(query.data.split(":")[1])
    await query.answer()
    async with context.unit_of_work() as session:
        exported = await export.export_csv(
            session,
            broadcast_id,
            now=context.clock.now(),
            actor_kind="staff",
            actor_telegram_id=staff.telegram_user_id,
        )
    if exported is not None:
        text, rows = exported
        reply = Reply(
            views.export_caption(context.t, broadcast_id, rows),
            document=(f"alert-{broadcast_id}.csv", text.encode("utf-8-sig")),
            protect=True,
        )
        await send(update, context, reply)
    raise ApplicationHandlerStop


def _parse(data: str) -> tuple[int, str] | None:
    _, delivery, value = data.split(":")
    return (int(delivery), value) if delivery.isdigit() else None


async def answer_alert(update: Update, context: BotContext) -> None:
    """A citizen's answer button; a call request or presence asks to share their phone."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    if not await take(update, context):
        return
    parsed = _parse(query.data)
    try:
        answer = AlertAnswer(parsed[1]) if parsed else None
    except ValueError:
        answer = None
    if parsed is None or answer is None:
        await query.answer(views.no_longer_valid(context.t))
        raise ApplicationHandlerStop
    async with context.unit_of_work() as session:
        result = await responses.record_answer(
            session, parsed[0], user.id, answer, context.clock.now()
        )
    if result.outcome is AnswerOutcome.NOT_YOURS:
        await query.answer(views.not_yours(context.t), show_alert=True)
    elif result.outcome is AnswerOutcome.UNKNOWN:
        await query.answer(views.no_longer_valid(context.t))
    else:
        await query.answer()
        await send(update, context, views.answer_recorded(context.t, answer, parsed[0]))
    raise ApplicationHandlerStop


async def share_phone(update: Update, context: BotContext) -> None:
    """The citizen's yes or no to showing their phone number to the health team."""
    query, user = update.callback_query, update.effective_user
    if query is None or query.data is None or user is None:
        return
    if not await take(update, context):
        return
    parsed = _parse(query.data)
    if parsed is None or parsed[1] not in ("y", "n"):
        await query.answer(views.no_longer_valid(context.t))
        raise ApplicationHandlerStop
    share = parsed[1] == "y"
    async with context.unit_of_work() as session:
        outcome = await responses.decide_phone_sharing(
            session, parsed[0], user.id, share, context.clock.now()
        )
    if outcome is AnswerOutcome.RECORDED:
        await query.answer()
        await edit(query, views.phone_decision(context.t, share))
    elif outcome is AnswerOutcome.NOT_YOURS:
        await query.answer(views.not_yours(context.t), show_alert=True)
    else:
        await query.answer(views.no_longer_valid(context.t))
    raise ApplicationHandlerStop


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the alert handlers in the staff group (they run before the generic handlers)."""
    application.add_handlers(
        [
            CommandHandler("alert", start_alert),
            CommandHandler("alerts", show_alerts),
            CallbackQueryHandler(export_alert, pattern=r"^ale:\d+$"),
            CallbackQueryHandler(answer_alert, pattern=r"^alr:\d+:[a-z]+$"),
            CallbackQueryHandler(share_phone, pattern=r"^alp:\d+:[yn]$"),
        ],
        group=STAFF_GROUP,
    )
