"""Emulated users: what a person does in a Telegram client, and what they read from the bot."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.emulator.markup import ReplyMarkup
from bot.emulator.methods.commands import visible_commands
from bot.emulator.serialize import document_to_api
from bot.emulator.state import (
    BotAccount,
    CallbackAnswer,
    CallbackQueryRecord,
    Chat,
    MessageRecord,
    UserProfile,
)
from bot.emulator.world import TelegramWorld


class EmulatedUser:
    """A Telegram user chatting privately with a bot (the only bot, unless `bot_id` names one)."""

    def __init__(self, world: TelegramWorld, profile: UserProfile, bot_id: int | None = None) -> None:
        self._world = world
        self.profile = profile
        self._bot_id = bot_id
        self._read_count = 0
        self._seen_edits: dict[int, int] = {}
        self._looked_at: dict[int, tuple[int, bool]] = {}

    @property
    def id(self) -> int:
        """Return the user's Telegram id (also the id of the private chat with the bot)."""
        return self.profile.id

    @property
    def bot(self) -> BotAccount:
        """Return the bot this user talks to."""
        return self._world.resolve_bot(self._bot_id)

    @property
    def chat(self) -> Chat:
        """Return the private chat with the bot (empty and unregistered until the user writes)."""
        existing = self.bot.chats.get(self.id)
        return existing if existing is not None else Chat(self.id, "private", user=self.profile)

    async def send(self, text: str) -> MessageRecord:
        """Send a text or /command (with its bot_command entity); returns the user's message."""
        message = self._world.post_user_message(self.bot, self.profile, text=text, source_text=text)
        await asyncio.sleep(0)
        return message

    async def press(self, label: str, message: MessageRecord | int | None = None) -> CallbackQueryRecord:
        """Press the inline button with this text or callback_data on the latest bot message showing it."""
        target = self.chat.messages[message] if isinstance(message, int) else message
        query = self._world.press_button(self.bot, self.profile, label, target)
        await asyncio.sleep(0)
        return query

    async def share_contact(
        self,
        phone_number: str,
        own: bool = True,
        contact_user_id: int | None = None,
        first_name: str | None = None,
    ) -> MessageRecord:
        """Share a contact: the user's own (contact.user_id is the sender) or someone else's."""
        contact: dict[str, Any] = {"phone_number": phone_number}
        if own:
            contact.update(first_name=self.profile.first_name, user_id=self.id)
            if self.profile.last_name is not None:
                contact["last_name"] = self.profile.last_name
        else:
            contact["first_name"] = first_name or "Contact"
            contact["user_id"] = contact_user_id if contact_user_id is not None else self.id + 1
        message = self._world.post_user_message(self.bot, self.profile, contact=contact)
        await asyncio.sleep(0)
        return message

    async def send_document(
        self,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> MessageRecord:
        """Send a file; the bot can fetch it with getFile."""
        stored = self._world.store_file(self.bot, filename, mime_type, content)
        message = self._world.post_user_message(self.bot, self.profile, document=stored, text=caption)
        await asyncio.sleep(0)
        return message

    async def block(self) -> None:
        """Block the bot: its sends now fail with 403 and it receives a my_chat_member update."""
        self._world.set_blocked(self.bot, self.profile, True)
        await asyncio.sleep(0)

    async def unblock(self) -> None:
        """Unblock the bot."""
        self._world.set_blocked(self.bot, self.profile, False)
        await asyncio.sleep(0)

    @property
    def messages(self) -> list[MessageRecord]:
        """Return every bot message in the chat, oldest first, deleted ones included (see `.deleted`)."""
        return self.chat.bot_messages()

    @property
    def last_message(self) -> MessageRecord | None:
        """Return the newest bot message that is not deleted."""
        visible = [message for message in self.messages if not message.deleted]
        return visible[-1] if visible else None

    @property
    def deleted_user_messages(self) -> list[int]:
        """Return ids of this user's own messages that the bot deleted."""
        return [m.message_id for m in self.chat.messages.values() if not m.from_bot and m.deleted]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Return the bot's answers to this user's button presses, oldest first."""
        queries = self.bot.callback_queries.values()
        return [query.answer for query in queries if query.user_id == self.id and query.answer is not None]

    @property
    def reply_keyboard(self) -> ReplyMarkup | None:
        """Return the reply keyboard currently shown instead of the user's keyboard, if any."""
        for message in reversed(self.messages):
            markup = message.reply_markup
            if markup is not None and markup.kind in ("keyboard", "remove_keyboard"):
                return markup if markup.kind == "keyboard" else None
        return None

    def visible_commands(self) -> list[dict[str, str]]:
        """Return the command menu the user's client shows, for the user's language."""
        return visible_commands(self.bot, self.chat, self.profile.language_code)

    async def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> list[MessageRecord]:
        """Wait for `count` bot messages not yet returned by this method, and return exactly those.

        Raises:
            TimeoutError: if they do not all arrive within `timeout` seconds.
        """
        start = self._read_count
        arrived = await self._world.changes.wait_until(lambda: len(self.messages) >= start + count, timeout)
        if not arrived:
            texts = [message.text for message in self.messages[start:]]
            raise TimeoutError(
                f"expected {count} new bot message(s) for user {self.id} within {timeout}s, got {texts}"
            )
        self._read_count = start + count
        return self.messages[start : start + count]

    async def wait_for_activity(self, timeout: float = 5.0) -> list[MessageRecord]:
        """Wait until bot messages appear, change or vanish since the last call; return those (for chat UIs).

        Returns an empty list if nothing happens within `timeout` seconds.
        """

        def changed() -> list[MessageRecord]:
            return [m for m in self.messages if self._looked_at.get(m.message_id) != (m.edited, m.deleted)]

        await self._world.changes.wait_until(lambda: bool(changed()), timeout)
        result = changed()
        self._looked_at.update({m.message_id: (m.edited, m.deleted) for m in result})
        return result

    async def wait_for_edit(self, message_id: int, timeout: float = 5.0) -> MessageRecord:
        """Wait until the bot message `message_id` is edited again (since the last call for it)."""
        seen = self._seen_edits.get(message_id, 0)
        message = self.chat.messages[message_id]
        if not await self._world.changes.wait_until(lambda: message.edited > seen, timeout):
            raise TimeoutError(f"message {message_id} was not edited within {timeout}s")
        self._seen_edits[message_id] = message.edited
        return message

    async def wait_for_deletion(self, message_id: int, timeout: float = 5.0) -> MessageRecord:
        """Wait until message `message_id` (the bot's or the user's) is deleted."""
        message = self.chat.messages[message_id]
        if not await self._world.changes.wait_until(lambda: message.deleted, timeout):
            raise TimeoutError(f"message {message_id} was not deleted within {timeout}s")
        return message

    async def wait_for_answer(self, query: CallbackQueryRecord, timeout: float = 5.0) -> CallbackAnswer:
        """Wait until the bot answers the button press `query`."""
        if not await self._world.changes.wait_until(lambda: query.answer is not None, timeout):
            raise TimeoutError(f"callback query {query.id} was not answered within {timeout}s")
        assert query.answer is not None
        return query.answer


def message_to_driver_json(message: MessageRecord) -> dict[str, Any]:
    """Return what a user sees of a message, as JSON for the HTTP driver API."""
    markup = message.reply_markup
    return {
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "date": int(message.date),
        "text": message.text,
        "html": message.html,
        "entities": list(message.entities),
        "inline_keyboard": [
            [{"text": b.text, "callback_data": b.callback_data, "url": b.url} for b in row]
            for row in (markup.inline_rows if markup else ())
        ],
        "keyboard": [
            [{"text": b.text, "request_contact": b.request_contact} for b in row]
            for row in (markup.keyboard_rows if markup else ())
        ],
        "protect_content": message.protect_content,
        "deleted": message.deleted,
        "edited": message.edited,
        "document": document_to_api(message.document) if message.document else None,
    }
