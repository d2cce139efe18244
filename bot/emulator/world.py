"""The emulated Telegram: bots, users and chats, and the actions that change them."""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
from collections.abc import Callable
from typing import Any

from bot.emulator.errors import DriverError, bot_blocked, chat_not_found, unauthorized
from bot.emulator.flood import FaultInjector, FloodControl, FloodLimits
from bot.emulator.formatting import user_text
from bot.emulator.serialize import callback_query_to_api, message_to_api, my_chat_member_to_api
from bot.emulator.state import (
    BotAccount,
    CallbackQueryRecord,
    Chat,
    Clock,
    MessageRecord,
    StoredFile,
    UserProfile,
)
from bot.emulator.updates import UpdateQueue

_TOKEN = re.compile(r"^(\d{1,20}):([A-Za-z0-9_-]{30,64})$")
_INTEGER = re.compile(r"^-?\d{1,19}$")
_MAX_BOT_ID = 1 << 54


class ChangeNotifier:
    """Wakes whoever waits for the emulator's state to change (drivers waiting for bot replies)."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def notify(self) -> None:
        """Signal a change to every current waiter."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait until `predicate()` holds; return False if `timeout` seconds pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


class TelegramWorld:
    """All state of the emulator and the operations shared by Bot API methods and user drivers."""

    def __init__(self, limits: FloodLimits) -> None:
        self.clock = Clock()
        self.flood = FloodControl(limits, self.clock.monotonic)
        self.faults = FaultInjector()
        self.bots: dict[int, BotAccount] = {}
        self.users: dict[int, UserProfile] = {}
        self.changes = ChangeNotifier()
        self._file_numbers = itertools.count(1)

    def bot_for_token(self, token: str) -> BotAccount:
        """Return the bot a token belongs to, creating it on first use.

        Raises:
            ApiError: 401 for a malformed token, or one whose secret differs from the first one seen.
        """
        match = _TOKEN.match(token)
        if match is None or not 0 < int(match[1]) < _MAX_BOT_ID:
            raise unauthorized()
        bot_id, secret = int(match[1]), match[2]
        bot = self.bots.get(bot_id)
        if bot is None:
            bot = BotAccount(
                bot_id, secret, "Emulated bot", f"emulated_{bot_id}_bot", UpdateQueue(self.clock.time)
            )
            self.bots[bot_id] = bot
        elif bot.token_secret != secret:
            raise unauthorized()
        return bot

    def resolve_bot(self, bot_id: int | None) -> BotAccount:
        """Return the bot with `bot_id`, or the only bot when `bot_id` is None."""
        if bot_id is not None:
            if bot_id not in self.bots:
                raise DriverError(f"no bot with id {bot_id} has been registered")
            return self.bots[bot_id]
        if len(self.bots) != 1:
            raise DriverError(
                f"{len(self.bots)} bots are registered; pass bot_id or register the bot's token first"
            )
        return next(iter(self.bots.values()))

    def ensure_user(self, user_id: int, **profile: Any) -> UserProfile:
        """Return the user with `user_id`, creating it or updating the given profile fields."""
        user = self.users.get(user_id)
        if user is None:
            user = UserProfile(user_id, profile.pop("first_name", None) or f"User {user_id}")
            self.users[user_id] = user
        for name, value in profile.items():
            if value is not None:
                setattr(user, name, value)
        return user

    def private_chat(self, bot: BotAccount, user: UserProfile) -> Chat:
        """Return the private chat between `bot` and `user`, creating it."""
        chat = bot.chats.get(user.id)
        if chat is None:
            chat = Chat(user.id, "private", user=user)
            bot.chats[user.id] = chat
        return chat

    def add_group(self, bot: BotAccount, chat_id: int, title: str) -> Chat:
        """Make the bot a member of a group chat with a negative `chat_id`."""
        if chat_id >= 0:
            raise DriverError("group chat ids are negative")
        chat = bot.chats.setdefault(chat_id, Chat(chat_id, "group", title=title))
        return chat

    def chat_for_bot(self, bot: BotAccount, chat_id: int | str, writing: bool = True) -> Chat:
        """Return the chat a bot addresses by `chat_id`.

        Raises:
            ApiError: 400 `chat not found`, or 403 when the user blocked the bot and the bot writes.
        """
        if isinstance(chat_id, str):
            if not _INTEGER.match(chat_id.strip()):
                raise chat_not_found()
            chat_id = int(chat_id)
        chat = bot.chats.get(chat_id)
        if chat is None:
            raise chat_not_found()
        if writing and chat.type == "private" and chat.id in bot.blocked_by:
            raise bot_blocked()
        return chat

    def store_file(self, bot: BotAccount, file_name: str, mime_type: str, content: bytes) -> StoredFile:
        """Keep an uploaded document and give it Telegram-like identifiers."""
        number = next(self._file_numbers)
        extension = file_name.rsplit(".", 1)[1] if "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"BQACAgIAAxkB{secrets.token_urlsafe(30)}",
            file_unique_id=f"AgAD{secrets.token_urlsafe(8)}",
            file_path=f"documents/file_{number}.{extension}",
            file_name=file_name,
            mime_type=mime_type,
            content=content,
        )
        bot.files[stored.file_id] = stored
        return stored

    def add_bot_message(self, bot: BotAccount, chat: Chat, **content: Any) -> MessageRecord:
        """Store a message the bot sent to `chat` and wake waiting drivers."""
        message = MessageRecord(
            chat.allocate_message_id(), chat.id, bot.id, True, self.clock.time(), **content
        )
        chat.messages[message.message_id] = message
        bot.sent_log.append(message)
        bot.counters.messages_sent += 1
        self.changes.notify()
        return message

    def post_user_message(self, bot: BotAccount, user: UserProfile, **content: Any) -> MessageRecord:
        """Deliver a message from `user` to `bot` as a `message` update."""
        if user.id in bot.blocked_by:
            raise DriverError(f"user {user.id} blocked the bot; unblock() first")
        chat = self.private_chat(bot, user)
        if content.get("text"):
            formatted = user_text(content["text"])
            content["entities"] = formatted.entities
        message = MessageRecord(
            chat.allocate_message_id(), chat.id, user.id, False, self.clock.time(), **content
        )
        chat.messages[message.message_id] = message
        bot.updates.push("message", message_to_api(bot, chat, message), chat.id)
        self.changes.notify()
        return message

    def press_button(
        self, bot: BotAccount, user: UserProfile, label: str, message: MessageRecord | None = None
    ) -> CallbackQueryRecord:
        """Press the inline button labelled `label` (text or callback_data) as a `callback_query` update."""
        if user.id in bot.blocked_by:
            raise DriverError(f"user {user.id} blocked the bot; unblock() first")
        chat = self.private_chat(bot, user)
        candidates = [message] if message is not None else list(reversed(chat.bot_messages()))
        for candidate in candidates:
            markup = None if candidate.deleted else candidate.reply_markup
            button = markup.find_inline_button(label) if markup is not None else None
            if button is None:
                continue
            if button.callback_data is None:
                raise DriverError(f"button {label!r} is not a callback button (it opens {button.url!r})")
            query = CallbackQueryRecord(
                str(secrets.randbits(62)),
                user.id,
                chat.id,
                candidate.message_id,
                button.callback_data,
                self.clock.time(),
            )
            bot.callback_queries[query.id] = query
            bot.updates.push("callback_query", callback_query_to_api(bot, chat, query), chat.id)
            self.changes.notify()
            return query
        shown = [button.text for m in candidates if not m.deleted for button in m.inline_buttons]
        raise DriverError(f"no inline button {label!r} in chat {chat.id}; visible buttons: {shown}")

    def set_blocked(self, bot: BotAccount, user: UserProfile, blocked: bool) -> None:
        """Block or unblock the bot for `user`, sending the `my_chat_member` update Telegram sends."""
        if (user.id in bot.blocked_by) == blocked:
            return
        if blocked:
            bot.blocked_by.add(user.id)
        else:
            bot.blocked_by.discard(user.id)
        chat = self.private_chat(bot, user)
        payload = my_chat_member_to_api(bot, chat, user, blocked, self.clock.time())
        bot.updates.push("my_chat_member", payload, chat.id)
        self.changes.notify()
