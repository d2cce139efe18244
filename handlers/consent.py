"""Consent first: the gate that answers everything with the privacy notice until the user agrees.

`admit` runs in the prepare group (-1) for every update: it prepares the update (account and
language) and then stops it with the notice unless the user has agreed to the current notice.
Only the consent and language buttons, /privacy and /language pass without consent.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop

from bot import accounts
from bot.accounts import AccountView
from bot.context import BotContext
from bot.signin import record_consent
from bot.views import consent as views
from handlers.common import send
from handlers.prepare import prepare_update

OPEN_COMMANDS = frozenset({"privacy", "language"})
OPEN_BUTTONS = re.compile(
    rf"^(?:{re.escape(views.ACCEPT)}|{re.escape(views.DECLINE)}|lang(?::[a-z]{{2}})?)$"
)


def has_current_consent(account: AccountView | None) -> bool:
    """True when the user agreed to the notice as it reads now."""
    return (
        account is not None
        and account.consented
        and account.consent_version == views.NOTICE_VERSION
    )


def _command(text: str | None) -> str | None:
    """The command a message starts with (`/privacy@healthbot now` -> `privacy`), if any."""
    words = text[1:].split(maxsplit=1) if text and text.startswith("/") else []
    return words[0].split("@", 1)[0].lower() if words else None


def open_without_consent(update: Update) -> bool:
    """True for the few updates allowed before consent (reading the notice, choosing a language)."""
    if update.callback_query is not None:
        return OPEN_BUTTONS.match(update.callback_query.data or "") is not None
    if update.message is not None:
        return _command(update.message.text) in OPEN_COMMANDS
    return False


async def admit(update: Update, context: BotContext) -> None:
    """Prepare the update; without consent, answer with the privacy notice and stop it there."""
    await prepare_update(update, context)
    user = update.effective_user
    if user is None or has_current_consent(context.account) or open_without_consent(update):
        return
    if update.message is None and update.callback_query is None:
        if update.edited_message is not None:
            raise ApplicationHandlerStop
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    reply = views.consent_request(context.t, context.settings.session_days, user.first_name)
    await send(update, context, reply)
    raise ApplicationHandlerStop


async def accept(update: Update, context: BotContext) -> None:
    """The "I agree" button: record the consent, retire the buttons, offer to sign in."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None:
        return
    if has_current_consent(context.account):
        await query.answer(views.already_agreed(context.t))
        return
    now = context.clock.now()
    async with context.unit_of_work() as session:
        await accounts.ensure_account(session, user.id, chat.id, user.language_code, now)
        await record_consent(session, user.id, chat.id, views.NOTICE_VERSION, now)
    await query.answer()
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest:  # the notice is gone or already without buttons
        pass
    await send(update, context, views.thanks(context.t, user.first_name))


async def decline(update: Update, context: BotContext) -> None:
    """The "Not now" button: nothing is recorded; say how to come back."""
    query = update.callback_query
    if query is None:
        return
    if has_current_consent(context.account):
        await query.answer(views.decline_after_agreeing(context.t), show_alert=True)
        return
    await query.answer()
    await send(update, context, views.declined(context.t))
