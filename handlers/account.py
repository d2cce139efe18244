"""/logout, /privacy, /accesslog and /deletemydata: the citizen's control over their data."""

from __future__ import annotations

from telegram import Update

from bot.audit.log import Action, ActorKind, Outcome, record, recent_accesses
from bot.context import BotContext
from bot.signin import logout, withdraw_and_erase
from bot.views import account as views
from bot.views import consent as consent_views
from handlers.common import edit, send
from handlers.consent import has_current_consent
from handlers.guard import signed_in_citizen

ACCESS_LOG_LENGTH = 20


async def sign_out(update: Update, context: BotContext) -> None:
    """/logout: end the link to the citizen (and any sign-in under way)."""
    user = update.effective_user
    if user is None:
        return
    async with context.unit_of_work() as session:
        was_linked = await logout(session, user.id, context.clock.now())
    answer = views.signed_out(context.t) if was_linked else views.not_signed_in(context.t)
    await send(update, context, answer)


async def show_privacy(update: Update, context: BotContext) -> None:
    """/privacy: the notice; with the agree buttons, or with when one agreed and how to withdraw."""
    days = context.settings.session_days
    account = context.account
    if has_current_consent(account) and account is not None:
        reply = consent_views.notice_agreed(context.t, days, account.consented_at)
    else:
        reply = consent_views.consent_request(context.t, days)
    await send(update, context, reply)


async def show_access_log(update: Update, context: BotContext) -> None:
    """/accesslog: the latest looks at one's own record (this look is logged too)."""
    user = update.effective_user
    citizen_id = await signed_in_citizen(update, context)
    if user is None or citizen_id is None:
        return
    async with context.unit_of_work() as session:
        accesses = await recent_accesses(session, citizen_id, ACCESS_LOG_LENGTH)
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.VIEW,
            actor_telegram_id=user.id,
            actor_citizen_id=citizen_id,
            subject_citizen_id=citizen_id,
            section=views.ACCESS_LOG_SECTION,
            outcome=Outcome.SUCCESS,
            at=context.clock.now(),
        )
    await send(update, context, views.access_log(context.t, accesses, user.id, ACCESS_LOG_LENGTH))


async def ask_erasure(update: Update, context: BotContext) -> None:
    """/deletemydata or its button: what would be deleted and kept, and the confirming button."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    await send(update, context, views.confirm_erasure(context.t))


async def erase(update: Update, context: BotContext) -> None:
    """The confirming button: withdraw consent, unlink, erase chat-side data; say what stays."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    async with context.unit_of_work() as session:
        report = await withdraw_and_erase(session, user.id, context.clock.now())
    await query.answer()
    await edit(query, views.erased(context.t, report))


async def keep(update: Update, context: BotContext) -> None:
    """The "No, keep it" button: nothing changes."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await edit(query, views.erasure_cancelled(context.t))
