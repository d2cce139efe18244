"""Reply markup (inline and reply keyboards) validated with Telegram's rules and kept in parsed form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.emulator.errors import td_error

CALLBACK_DATA_MAX_BYTES = 64
MAX_BUTTONS = 100
MarkupKind = Literal["inline_keyboard", "keyboard", "remove_keyboard", "force_reply"]
_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "callback_game",
    "pay",
    "switch_inline_query",
    "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat",
    "login_url",
    "web_app",
    "copy_text",
)
_PRIVATE_ONLY_REQUESTS = {
    "request_contact": "Phone number can be requested in private chats only",
    "request_location": "Location can be requested in private chats only",
    "request_poll": "Poll can be requested in private chats only",
    "web_app": "Web App buttons can be used in private chats only",
    "request_users": "Users can be requested in private chats only",
    "request_chat": "Chats can be requested in private chats only",
}
_URL_SCHEMES = ("http://", "https://", "tg://")


@dataclass(frozen=True)
class InlineButton:
    """A button under a message; `raw` is what Telegram echoes back in `Message.reply_markup`."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class KeyboardButton:
    """A button of a reply keyboard (shown instead of the user's keyboard)."""

    text: str
    request_contact: bool = False


@dataclass(frozen=True)
class ReplyMarkup:
    """Parsed reply markup of a message."""

    kind: MarkupKind
    inline_rows: tuple[tuple[InlineButton, ...], ...] = ()
    keyboard_rows: tuple[tuple[KeyboardButton, ...], ...] = ()
    one_time_keyboard: bool = False
    is_persistent: bool = False

    def find_inline_button(self, label: str) -> InlineButton | None:
        """Return the inline button whose text or callback_data equals `label`."""
        for row in self.inline_rows:
            for button in row:
                if label in (button.text, button.callback_data):
                    return button
        return None

    @property
    def inline_buttons(self) -> list[InlineButton]:
        """Return every inline button, row by row."""
        return [button for row in self.inline_rows for button in row]

    def to_api(self) -> dict[str, Any]:
        """Return the markup as Telegram puts it in a Message (only inline keyboards are echoed)."""
        return {"inline_keyboard": [[button.raw for button in row] for row in self.inline_rows]}


def parse_reply_markup(raw: dict[str, Any], chat_type: str, inline_only: bool = False) -> ReplyMarkup | None:
    """Validate a reply_markup object for a chat of `chat_type`; None means the object asks for nothing.

    Raises:
        ApiError: 400 with the Bot API server's wording for each broken rule.
    """
    keyboard_rows = _keyboard_rows(raw.get("keyboard"), chat_type)
    inline_rows = _inline_rows(raw.get("inline_keyboard"))
    markup: ReplyMarkup | None
    if keyboard_rows:
        markup = ReplyMarkup(
            "keyboard",
            keyboard_rows=keyboard_rows,
            one_time_keyboard=raw.get("one_time_keyboard") is True,
            is_persistent=raw.get("is_persistent") is True,
        )
    elif inline_rows:
        markup = ReplyMarkup("inline_keyboard", inline_rows=inline_rows)
    elif raw.get("remove_keyboard") is True or raw.get("hide_keyboard") is True:
        markup = ReplyMarkup("remove_keyboard")
    elif raw.get("force_reply") is True:
        markup = ReplyMarkup("force_reply")
    else:
        markup = None
    if inline_only and markup is not None and markup.kind != "inline_keyboard":
        raise td_error("Inline keyboard expected")
    button_count = sum(len(row) for row in keyboard_rows) + sum(len(row) for row in inline_rows)
    if button_count > MAX_BUTTONS:
        raise td_error("reply markup is too long")
    return markup


def _rows(value: Any, message: str) -> list[list[Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise td_error(message)
    return value


def _keyboard_rows(value: Any, chat_type: str) -> tuple[tuple[KeyboardButton, ...], ...]:
    rows = _rows(value, 'Field "keyboard" must be an Array of Arrays')
    return tuple(
        row for row in (tuple(_keyboard_button(item, chat_type) for item in row) for row in rows) if row
    )


def _keyboard_button(item: Any, chat_type: str) -> KeyboardButton:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise td_error("Can't parse keyboard button: KeyboardButton must be a String or an Object")
    text = _required_string(item, "text", "keyboard button")
    if not text:
        raise td_error("Keyboard button text must be non-empty")
    if chat_type != "private":
        for request, message in _PRIVATE_ONLY_REQUESTS.items():
            if item.get(request):
                raise td_error(message)
    return KeyboardButton(text, request_contact=item.get("request_contact") is True)


def _inline_rows(value: Any) -> tuple[tuple[InlineButton, ...], ...]:
    rows = _rows(value, 'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    return tuple(row for row in (tuple(_inline_button(item) for item in row) for row in rows) if row)


def _inline_button(item: Any) -> InlineButton:
    if not isinstance(item, dict):
        raise td_error("Can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = _required_string(item, "text", "inline keyboard button")
    action = next((name for name in _INLINE_ACTIONS if item.get(name) not in (None, "")), None)
    if action is None:
        raise td_error(
            "Can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if not text:
        raise td_error("Inline keyboard button text must be non-empty")
    callback_data = item.get("callback_data") if action == "callback_data" else None
    url = item.get("url") if action == "url" else None
    if callback_data is not None:
        if not isinstance(callback_data, str):
            raise td_error(
                'Can\'t parse inline keyboard button: Field "callback_data" must be of type String'
            )
        if len(callback_data.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
            raise td_error("BUTTON_DATA_INVALID")
    if url is not None and (not isinstance(url, str) or not url.startswith(_URL_SCHEMES)):
        raise td_error("BUTTON_URL_INVALID")
    raw = {"text": text, action: item[action]}
    return InlineButton(text, callback_data=callback_data, url=url, raw=raw)


def _required_string(item: dict[str, Any], name: str, what: str) -> str:
    if name not in item:
        raise td_error(f"Can't parse {what}: Can't find field \"{name}\"")
    value = item[name]
    if not isinstance(value, str):
        raise td_error(f'Can\'t parse {what}: Field "{name}" must be of type String')
    return value
