"""sendMessage, editing, deleting, chat actions and callback answers."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import NOT_MODIFIED, QUERY_ID_INVALID, bad_request
from bot.emulator.formatting import format_message_text
from bot.emulator.markup import ReplyMarkup, parse_reply_markup
from bot.emulator.methods.base import Handler, MethodCall, check_can_send, record_sent
from bot.emulator.serialize import message_to_api
from bot.emulator.state import CallbackAnswer, Chat, MessageRecord

DELETE_WINDOW_SECONDS = 48 * 3600
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def reply_markup_for(call: MethodCall, chat: Chat, inline_only: bool = False) -> ReplyMarkup | None:
    """Return the parsed reply_markup parameter, if any."""
    raw = call.params.get("reply_markup")
    return None if raw is None else parse_reply_markup(raw, chat.type, inline_only=inline_only)


def reply_target(call: MethodCall, chat: Chat) -> int | None:
    """Return the id of the message replied to, checking it exists like Telegram does."""
    parameters: dict[str, Any] = call.params.get("reply_parameters") or {}
    message_id = parameters.get("message_id")
    if not isinstance(message_id, int):
        return None
    target = chat.messages.get(message_id)
    if target is None or target.deleted:
        if parameters.get("allow_sending_without_reply") is True:
            return None
        raise bad_request("message to be replied not found")
    return message_id


async def send_message(call: MethodCall) -> dict[str, Any]:
    """sendMessage."""
    params = call.params
    formatted = format_message_text(params["text"], params.get("parse_mode"), params.get("entities"))
    chat = call.world.chat_for_bot(call.bot, params["chat_id"])
    markup = reply_markup_for(call, chat)
    reply_to = reply_target(call, chat)
    check_can_send(call, chat)
    message = call.world.add_bot_message(
        call.bot,
        chat,
        text=formatted.text,
        source_text=params["text"],
        parse_mode=params.get("parse_mode"),
        entities=formatted.entities,
        reply_markup=markup,
        protect_content=params.get("protect_content") is True,
        reply_to_message_id=reply_to,
    )
    record_sent(call, chat)
    return message_to_api(call.bot, chat, message)


def _message_to_edit(call: MethodCall) -> tuple[Chat, MessageRecord]:
    params = call.params
    if "chat_id" not in params and "message_id" not in params:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        raise bad_request("message identifier is not specified")
    if "chat_id" not in params:
        raise bad_request("chat_id is empty")
    chat = call.world.chat_for_bot(call.bot, params["chat_id"])
    message = chat.messages.get(params.get("message_id", 0))
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _apply_edit(call: MethodCall, chat: Chat, message: MessageRecord, **changes: Any) -> dict[str, Any]:
    if all(getattr(message, name) == value for name, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    message.history.append(message.snapshot())
    for name, value in changes.items():
        setattr(message, name, value)
    message.edit_date = call.world.clock.time()
    call.bot.counters.messages_edited += 1
    call.world.changes.notify()
    return message_to_api(call.bot, chat, message)


async def edit_message_text(call: MethodCall) -> dict[str, Any]:
    """editMessageText; without reply_markup the inline keyboard is removed, as on Telegram."""
    params = call.params
    formatted = format_message_text(params["text"], params.get("parse_mode"), params.get("entities"))
    chat, message = _message_to_edit(call)
    if message.document is not None or message.text is None:
        raise bad_request("there is no text in the message to edit")
    markup = reply_markup_for(call, chat, inline_only=True)
    return _apply_edit(
        call,
        chat,
        message,
        text=formatted.text,
        entities=formatted.entities,
        reply_markup=markup,
        source_text=params["text"],
        parse_mode=params.get("parse_mode"),
    )


async def edit_message_reply_markup(call: MethodCall) -> dict[str, Any]:
    """editMessageReplyMarkup; no reply_markup removes the inline keyboard."""
    chat, message = _message_to_edit(call)
    markup = reply_markup_for(call, chat, inline_only=True)
    return _apply_edit(call, chat, message, reply_markup=markup)


def _too_old_to_delete(call: MethodCall, message: MessageRecord) -> bool:
    return call.world.clock.time() - message.date > DELETE_WINDOW_SECONDS


def _delete(call: MethodCall, message: MessageRecord) -> None:
    message.deleted = True
    message.deleted_at = call.world.clock.time()
    call.bot.counters.messages_deleted += 1


async def delete_message(call: MethodCall) -> bool:
    """deleteMessage: the bot's and the user's messages in a private chat, up to 48 hours old."""
    chat = call.world.chat_for_bot(call.bot, call.params["chat_id"], writing=False)
    message = chat.messages.get(call.params["message_id"])
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    if _too_old_to_delete(call, message):
        raise bad_request("message can't be deleted")
    _delete(call, message)
    call.world.changes.notify()
    return True


async def delete_messages(call: MethodCall) -> bool:
    """deleteMessages: messages that cannot be deleted are skipped, as documented."""
    chat = call.world.chat_for_bot(call.bot, call.params["chat_id"], writing=False)
    message_ids = call.params["message_ids"]
    if not 1 <= len(message_ids) <= 100:
        raise bad_request("too many message identifiers specified")
    for message_id in message_ids:
        message = chat.messages.get(message_id)
        if message is not None and not message.deleted and not _too_old_to_delete(call, message):
            _delete(call, message)
    call.world.changes.notify()
    return True


async def answer_callback_query(call: MethodCall) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    params = call.params
    query = call.bot.callback_queries.get(params["callback_query_id"])
    if query is None or query.answer is not None:
        raise bad_request(QUERY_ID_INVALID)
    query.answer = CallbackAnswer(
        query.id,
        params.get("text"),
        params.get("show_alert") is True,
        params.get("url"),
        params.get("cache_time", 0),
    )
    call.world.changes.notify()
    return True


async def send_chat_action(call: MethodCall) -> bool:
    """sendChatAction."""
    chat = call.world.chat_for_bot(call.bot, call.params["chat_id"])
    action = call.params["action"]
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.last_action = action
    return True


HANDLERS: dict[str, Handler] = {
    "sendmessage": send_message,
    "editmessagetext": edit_message_text,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "deletemessages": delete_messages,
    "answercallbackquery": answer_callback_query,
    "sendchataction": send_chat_action,
}
