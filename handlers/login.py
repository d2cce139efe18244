"""/login and the sign-in conversation (citizen ID, own phone, birth date); /cancel.

The conversation lives in the database (`SignInService` keeps it), so the router asks the
database what the user's next message is for: any process, before or after a restart, takes
the next step the same way. The router runs in `SIGN_IN_GROUP`, before every other group; it
prepares and stops only the updates that belong to a sign-in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import accounts
from bot.broadcast import flow as broadcast_flow
from bot.context import BotContext
from bot.i18n import Translator, resolve_locale
from bot.identity.cccd import mask_id
from bot.signin import (
    AccountRef,
    ConsentRequired,
    Flow,
    Locked,
    Prompt,
    SignedIn,
    SignInFailed,
    SignInPolicy,
    SignInService,
    Step,
)
from bot.signin.results import BirthdateResult, ContactResult, IdResult
from bot.views import consent as consent_views
from bot.views import signin as views
from bot.views.reply import Reply
from handlers.common import send, send_to_chat
from handlers.prepare import prepare_update

logger = logging.getLogger(__name__)
SIGN_IN_GROUP = -3
StepResult = IdResult | ContactResult | BirthdateResult
Notice = tuple[AccountRef, Callable[[Translator], Reply]]
"""A message for another account, rendered in that account's language."""


def sign_in_service(context: BotContext) -> SignInService:
    """The sign-in flows configured from the settings and the application's clock."""
    return SignInService(
        SignInPolicy.from_settings(context.settings),
        clock=context.clock.now,
        consent_version=consent_views.NOTICE_VERSION,
    )


def start_reply(
    update: Update, context: BotContext, started: Prompt | ConsentRequired | Locked
) -> Reply:
    """The answer to starting a flow: its first question, the consent request, or the lock."""
    if isinstance(started, ConsentRequired):
        user = update.effective_user
        return consent_views.consent_request(
            context.t, context.settings.session_days, user.first_name if user else None
        )
    if isinstance(started, Locked):
        return views.locked(context.t, started, context.clock.now())
    return views.prompt(context.t, started)


async def start(update: Update, context: BotContext) -> None:
    """/login or the Sign-in button: begin with the citizen ID."""
    user = update.effective_user
    if user is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    async with context.unit_of_work() as session:
        started = await sign_in_service(context).start_login(session, user.id)
    await send(update, context, start_reply(update, context, started))


async def continue_sign_in(update: Update, context: BotContext) -> None:
    """A text or shared contact while a sign-in waits for one: take that step."""
    message, user = update.message, update.effective_user
    if message is None or user is None or message.chat.type != ChatType.PRIVATE:
        return
    service = sign_in_service(context)
    async with context.unit_of_work() as session:
        waiting = await service.pending(session, user.id)
    if waiting is None:
        return
    await prepare_update(update, context)
    try:
        async with context.unit_of_work() as session:
            result = await _submit(service, session, user.id, message, waiting)
            answer = await _answer(session, context, result, waiting, message)
    finally:
        await _forget(message)  # read (or failed): either way it must not stay in the chat
    await send(update, context, answer)
    for recipient, render in _notices(context, result):
        await _tell(context, recipient, render)
    raise ApplicationHandlerStop


async def _submit(
    service: SignInService, session: AsyncSession, user_id: int, message: Message, waiting: Prompt
) -> StepResult:
    """Hand the message to the step the flow waits for (a contact always to the phone step)."""
    if message.contact is not None:
        return await service.submit_contact(
            session,
            user_id,
            phone=message.contact.phone_number,
            contact_user_id=message.contact.user_id,
            forwarded=message.forward_origin is not None,
        )
    text = message.text or ""
    if waiting.step is Step.AWAIT_ID:
        return await service.submit_id(session, user_id, text)
    if waiting.step is Step.AWAIT_PHONE:
        return await service.submit_typed_phone(session, user_id, text)
    return await service.submit_birthdate(session, user_id, text)


async def _answer(
    session: AsyncSession, context: BotContext, result: StepResult, waiting: Prompt, message: Message
) -> Reply:
    """The greeting by full name on success; otherwise the answer to the step (ID shown masked)."""
    if isinstance(result, SignedIn):
        name = await accounts.citizen_full_name(session, result.citizen_id) or ""
        renewed = waiting.flow is Flow.RECHECK
        return views.signed_in(context.t, name, result.expires_at, renewed=renewed)
    masked = mask_id(message.text or "") if waiting.step is Step.AWAIT_ID else None
    return views.step_answer(context.t, result, context.clock.now(), masked)


def _notices(context: BotContext, result: StepResult) -> list[Notice]:
    """The account signed out by this sign-in, or the owner of the ID someone failed with."""
    now = context.clock.now()
    if isinstance(result, SignedIn) and result.displaced is not None:
        return [(result.displaced, lambda t: views.displaced(t, now))]
    if isinstance(result, SignInFailed) and result.alert_owner is not None:
        return [(result.alert_owner, lambda t: views.attempt_warning(t, now))]
    return []


async def _forget(message: Message) -> None:
    """Delete the user's message that carried an identifier; it has been read."""
    try:
        await message.delete()
    except TelegramError as error:  # too old or already gone: nothing left to hide
        logger.info("could not delete a sign-in message: %s", error)


async def _tell(
    context: BotContext, recipient: AccountRef, render: Callable[[Translator], Reply]
) -> None:
    """Send a notice to another account, in that account's own language."""
    async with context.unit_of_work() as session:
        account = await accounts.load_account(session, recipient.telegram_user_id)
    locale = resolve_locale(
        account.language if account else None,
        account.telegram_language_code if account else None,
        context.settings.default_locale,
    )
    reply = render(context.services.catalogs.get(locale))
    try:
        await send_to_chat(context, recipient.chat_id, reply)
    except TelegramError as error:
        logger.info("could not notify another account of a sign-in event: %s", error)


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel or the Cancel button: leave the sign-in, or any other conversation."""
    user = update.effective_user
    if user is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    async with context.unit_of_work() as session:
        left = await sign_in_service(context).cancel(session, user.id)
        if not left and await broadcast_flow.load_state(session, user.id) is not None:
            await broadcast_flow.clear_state(session, user.id)
            left = True
    answer = views.cancelled(context.t) if left else views.nothing_to_cancel(context.t)
    await send(update, context, answer)
