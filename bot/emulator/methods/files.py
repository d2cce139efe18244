"""sendDocument and getFile; downloads are served by the server under base_file_url."""

from __future__ import annotations

from typing import Any

from bot.emulator.errors import bad_request
from bot.emulator.formatting import format_caption
from bot.emulator.methods.base import Handler, MethodCall, check_can_send, record_sent
from bot.emulator.methods.messages import reply_markup_for, reply_target
from bot.emulator.serialize import file_to_api, message_to_api
from bot.emulator.spec import UploadedFile
from bot.emulator.state import BotAccount, StoredFile

UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024
DEFAULT_MIME_TYPE = "application/octet-stream"


def _document(call: MethodCall) -> StoredFile:
    document = call.params["document"]
    if isinstance(document, UploadedFile):
        if not document.content:
            raise bad_request("file must be non-empty")
        if len(document.content) > UPLOAD_LIMIT_BYTES:
            raise bad_request("file is too big")
        return call.world.store_file(
            call.bot,
            document.filename or "document",
            document.content_type or DEFAULT_MIME_TYPE,
            document.content,
        )
    stored = call.bot.files.get(document)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored


async def send_document(call: MethodCall) -> dict[str, Any]:
    """sendDocument with a multipart upload or the file_id of a file the bot already has."""
    params = call.params
    caption = format_caption(params.get("caption"), params.get("parse_mode"), params.get("caption_entities"))
    chat = call.world.chat_for_bot(call.bot, params["chat_id"])
    markup = reply_markup_for(call, chat)
    reply_to = reply_target(call, chat)
    document = _document(call)
    check_can_send(call, chat)
    message = call.world.add_bot_message(
        call.bot,
        chat,
        text=caption.text or None,
        source_text=params.get("caption"),
        parse_mode=params.get("parse_mode"),
        entities=caption.entities,
        reply_markup=markup,
        protect_content=params.get("protect_content") is True,
        document=document,
        reply_to_message_id=reply_to,
    )
    record_sent(call, chat)
    return message_to_api(call.bot, chat, message)


async def get_file(call: MethodCall) -> dict[str, Any]:
    """getFile."""
    stored = call.bot.files.get(call.params["file_id"])
    if stored is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    return file_to_api(stored)


def file_by_path(bot: BotAccount, file_path: str) -> StoredFile | None:
    """Return the bot's file stored under `file_path` (the path answered by getFile)."""
    return next((stored for stored in bot.files.values() if stored.file_path == file_path), None)


HANDLERS: dict[str, Handler] = {"senddocument": send_document, "getfile": get_file}
