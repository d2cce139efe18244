"""Turning a Telegram-free `Reply` into Bot API calls."""

from __future__ import annotations

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import BotContext
from bot.views.reply import Reply

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def inline_markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a reply, if it has buttons."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
            for row in reply.buttons
        ]
    )


def markup(reply: Reply) -> ReplyMarkup:
    """The reply markup: inline buttons, a contact request keyboard, or keyboard removal."""
    if reply.contact_request:
        button = KeyboardButton(reply.contact_request, request_contact=True)
        return ReplyKeyboardMarkup(
            [[button]], resize_keyboard=True, one_time_keyboard=True, is_persistent=False
        )
    if reply.remove_keyboard and not reply.buttons:
        return ReplyKeyboardRemove()
    return inline_markup(reply)


async def deliver(bot: Bot, chat_id: int, reply: Reply) -> Message:
    """Send a reply to a chat with any bot (handlers, jobs and senders alike)."""
    if reply.document is not None:
        name, content = reply.document
        return await bot.send_document(
            chat_id,
            InputFile(content, filename=name),
            caption=reply.text,
            parse_mode=ParseMode.HTML,
            protect_content=reply.protect,
            reply_markup=markup(reply),
        )
    return await bot.send_message(
        chat_id,
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(reply),
        protect_content=reply.protect,
    )


async def send_to_chat(context: BotContext, chat_id: int, reply: Reply) -> Message:
    """Send a reply to a chat."""
    return await deliver(context.bot, chat_id, reply)


async def send(update: Update, context: BotContext, reply: Reply) -> Message:
    """Answer in the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return await send_to_chat(context, chat.id, reply)


async def edit(query: CallbackQuery, reply: Reply) -> None:
    """Replace the message a button belongs to; fall back to a new message when it can't be edited."""
    try:
        await query.edit_message_text(
            reply.text, parse_mode=ParseMode.HTML, reply_markup=inline_markup(reply)
        )
    except BadRequest as error:
        if "not modified" in str(error).lower():
            return
        if query.message is None or "message to edit not found" not in str(error).lower():
            raise
        await query.get_bot().send_message(
            query.message.chat.id,
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_markup(reply),
            protect_content=reply.protect,
        )
