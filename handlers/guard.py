"""The gate in front of every record: who is signed in, or what they must do first."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.signin import LinkState, current_link
from bot.views import signin as views
from handlers.common import send
from handlers.login import sign_in_service, start_reply


async def signed_in_citizen(update: Update, context: BotContext) -> int | None:
    """The citizen id the user is signed in as, or None once they have been told what to do.

    Not linked: a "please sign in" answer with the Sign-in button. Session over: the birth-date
    re-check starts and asks for the date; after it the user sees the main menu again. On None
    the update is fully answered (a pressed button included) and the caller simply returns.
    """
    user = update.effective_user
    if user is None:
        return None
    account, now = context.account, context.clock.now()
    if account is not None and account.citizen_id is not None:
        if account.link_expires_at is not None and account.link_expires_at > now:
            return account.citizen_id  # the snapshot read for this very update: no second query
    async with context.unit_of_work() as session:
        link = await current_link(session, user.id, context.clock.now())
        if isinstance(link, int):
            return link
        started = (
            await sign_in_service(context).start_recheck(session, user.id)
            if link is LinkState.EXPIRED
            else LinkState.NOT_LINKED
        )
    if update.callback_query is not None:
        await update.callback_query.answer()
    if isinstance(started, LinkState):
        await send(update, context, views.please_sign_in(context.t))
    else:
        await send(update, context, start_reply(update, context, started))
    return None
