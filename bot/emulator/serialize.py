"""Bot API JSON objects (Message, CallbackQuery, ChatMemberUpdated, File, ...) built from emulator state."""

from __future__ import annotations

from typing import Any

from bot.emulator.state import BotAccount, CallbackQueryRecord, Chat, MessageRecord, StoredFile, UserProfile


def bot_sender(bot: BotAccount) -> dict[str, Any]:
    """Return the User object of a bot as it appears in `Message.from`."""
    return {"id": bot.id, "is_bot": True, "first_name": bot.first_name, "username": bot.username}


def document_to_api(document: StoredFile) -> dict[str, Any]:
    """Return the Bot API Document object."""
    return {
        "file_id": document.file_id,
        "file_unique_id": document.file_unique_id,
        "file_name": document.file_name,
        "mime_type": document.mime_type,
        "file_size": document.size,
    }


def file_to_api(stored: StoredFile) -> dict[str, Any]:
    """Return the Bot API File object answered by getFile."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def message_to_api(
    bot: BotAccount, chat: Chat, message: MessageRecord, with_reply: bool = True
) -> dict[str, Any]:
    """Return the Bot API Message object of `message`, as the bot sees it."""
    sender = bot_sender(bot) if message.from_bot or chat.user is None else chat.user.to_api()
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": sender,
        "chat": chat.to_api(),
        "date": int(message.date),
    }
    if message.edit_date is not None:
        data["edit_date"] = int(message.edit_date)
    if message.document is not None:
        data["document"] = document_to_api(message.document)
        if message.text:
            data["caption"] = message.text
            if message.entities:
                data["caption_entities"] = list(message.entities)
    elif message.contact is not None:
        data["contact"] = dict(message.contact)
    elif message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = list(message.entities)
    if message.reply_markup is not None and message.reply_markup.kind == "inline_keyboard":
        data["reply_markup"] = message.reply_markup.to_api()
    if message.protect_content:
        data["has_protected_content"] = True
    replied = chat.messages.get(message.reply_to_message_id or 0)
    if with_reply and replied is not None and not replied.deleted:
        data["reply_to_message"] = message_to_api(bot, chat, replied, with_reply=False)
    return data


def callback_query_to_api(bot: BotAccount, chat: Chat, query: CallbackQueryRecord) -> dict[str, Any]:
    """Return the Bot API CallbackQuery object of a button press."""
    user = chat.user
    assert user is not None, "callback queries come from private chats"
    return {
        "id": query.id,
        "from": user.to_api(),
        "message": message_to_api(bot, chat, chat.messages[query.message_id]),
        "chat_instance": str((bot.id * 1_000_003 + chat.id) % (1 << 62)),
        "data": query.data,
    }


def my_chat_member_to_api(
    bot: BotAccount, chat: Chat, user: UserProfile, blocked: bool, date: float
) -> dict[str, Any]:
    """Return the ChatMemberUpdated object Telegram sends when a user blocks or unblocks the bot."""
    bot_user = bot_sender(bot)
    old_member: dict[str, Any] = {"status": "member", "user": bot_user}
    new_member: dict[str, Any] = {"status": "kicked", "user": bot_user, "until_date": 0}
    if not blocked:
        old_member, new_member = new_member, old_member
    return {
        "chat": chat.to_api(),
        "from": user.to_api(),
        "date": int(date),
        "old_chat_member": old_member,
        "new_chat_member": new_member,
    }
