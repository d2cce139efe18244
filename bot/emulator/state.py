"""In-memory state of the emulated Telegram: users, bots, chats, messages, files and counters."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.markup import InlineButton, ReplyMarkup
from bot.emulator.updates import UpdateQueue


class Clock:
    """Wall-clock and monotonic time that tests can move forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        """Return the Unix time as the emulator sees it."""
        return time.time() + self.offset

    def monotonic(self) -> float:
        """Return monotonic seconds, shifted like `time`."""
        return time.monotonic() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the emulator's time forward, e.g. to age messages or empty flood-control windows."""
        self.offset += seconds


@dataclass
class UserProfile:
    """A Telegram user account."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            value = getattr(self, name)
            if value is not None:
                user[name] = value
        return user


@dataclass
class StoredFile:
    """A file known to one bot, with its bytes."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes = field(repr=False)

    @property
    def size(self) -> int:
        """Return the size in bytes."""
        return len(self.content)


@dataclass(frozen=True)
class MessageVersion:
    """The content of a message before one of its edits."""

    text: str | None
    source_text: str | None
    entities: tuple[dict[str, Any], ...]
    reply_markup: ReplyMarkup | None
    edit_date: float | None


@dataclass
class MessageRecord:
    """A message in a chat; for documents `text` holds the caption."""

    message_id: int
    chat_id: int
    sender_id: int
    from_bot: bool
    date: float
    text: str | None = None
    source_text: str | None = None
    parse_mode: str | None = None
    entities: tuple[dict[str, Any], ...] = ()
    reply_markup: ReplyMarkup | None = None
    protect_content: bool = False
    document: StoredFile | None = None
    contact: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edit_date: float | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    deleted_at: float | None = None

    @property
    def html(self) -> str | None:
        """Return the text exactly as the bot sent it (HTML source when parse_mode was HTML)."""
        return self.source_text

    @property
    def edited(self) -> int:
        """Return how many times the message was edited."""
        return len(self.history)

    @property
    def inline_buttons(self) -> list[InlineButton]:
        """Return the inline buttons under the message, row by row."""
        if self.reply_markup is None or self.reply_markup.kind != "inline_keyboard":
            return []
        return self.reply_markup.inline_buttons

    def snapshot(self) -> MessageVersion:
        """Return the current content, to keep in the history before an edit."""
        return MessageVersion(self.text, self.source_text, self.entities, self.reply_markup, self.edit_date)


@dataclass
class Chat:
    """A chat as one bot sees it: a private chat with a user, or a group."""

    id: int
    type: str
    user: UserProfile | None = None
    title: str | None = None
    messages: dict[int, MessageRecord] = field(default_factory=dict)
    next_message_id: int = 1
    menu_button: dict[str, Any] | None = None
    last_action: str | None = None

    def allocate_message_id(self) -> int:
        """Return the next message id of this chat (one sequence for both sides, as in Telegram)."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def bot_messages(self) -> list[MessageRecord]:
        """Return the bot's messages in this chat, oldest first, including deleted ones."""
        return [message for message in self.messages.values() if message.from_bot]

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API Chat object."""
        if self.user is None:
            return {"id": self.id, "type": self.type, "title": self.title or ""}
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.user.first_name}
        if self.user.last_name is not None:
            chat["last_name"] = self.user.last_name
        if self.user.username is not None:
            chat["username"] = self.user.username
        return chat


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a button press."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass
class CallbackQueryRecord:
    """A press on an inline button, waiting for answerCallbackQuery."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created_at: float
    answer: CallbackAnswer | None = None


@dataclass
class BotCounters:
    """Counts of what a bot did, for tests and benchmarks."""

    requests: Counter[str] = field(default_factory=Counter)
    messages_sent: int = 0
    messages_edited: int = 0
    messages_deleted: int = 0
    too_many_requests: int = 0
    server_errors: int = 0
    paid_broadcast_messages: int = 0

    def to_api(self) -> dict[str, Any]:
        """Return the counters as JSON-ready data."""
        return {
            "requests": dict(self.requests),
            "messages_sent": self.messages_sent,
            "messages_edited": self.messages_edited,
            "messages_deleted": self.messages_deleted,
            "too_many_requests": self.too_many_requests,
            "server_errors": self.server_errors,
            "paid_broadcast_messages": self.paid_broadcast_messages,
        }


@dataclass
class WebhookConfig:
    """An active webhook and the outcome of the latest deliveries."""

    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class BotAccount:
    """A bot: its identity and everything it owns."""

    id: int
    token_secret: str
    first_name: str
    username: str
    updates: UpdateQueue
    chats: dict[int, Chat] = field(default_factory=dict)
    blocked_by: set[int] = field(default_factory=set)
    files: dict[str, StoredFile] = field(default_factory=dict)
    callback_queries: dict[str, CallbackQueryRecord] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    default_menu_button: dict[str, Any] = field(default_factory=lambda: {"type": "commands"})
    webhook: WebhookConfig | None = None
    sent_log: list[MessageRecord] = field(default_factory=list)
    counters: BotCounters = field(default_factory=BotCounters)

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API User object of the bot, as getMe answers it."""
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
