"""A client of the emulator's HTTP driver API (`/_driver/...`), as simulated users use it."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

REPLY_TIMEOUT_SECONDS = 30.0
EDIT_POLL_SECONDS = 0.01
"""The driver long-polls new messages only; an edit in place is found by polling this often."""


class DriverError(RuntimeError):
    """The driver refused a request or no reply came in time."""


class DriverClient:
    """Plays users through the driver API of one emulator."""

    def __init__(self, driver_url: str, session: aiohttp.ClientSession) -> None:
        self.driver_url = driver_url.rstrip("/")
        self.session = session

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        async with self.session.request(method, f"{self.driver_url}{path}", **kwargs) as response:
            body: dict[str, Any] = await response.json()
        if not body.get("ok"):
            raise DriverError(str(body.get("error") or body))
        return body

    async def register_bot(self, token: str) -> int:
        """Make the bot known before it connects; returns its id."""
        body = await self._call("POST", "/bots", json={"token": token})
        return int(body["id"])

    async def send(self, user_id: int, text: str, language_code: str = "vi") -> int:
        """The user sends `text`; returns the message id."""
        body = await self._call(
            "POST", f"/users/{user_id}/send",
            json={"text": text, "first_name": f"U{user_id % 100000}", "language_code": language_code},
        )
        return int(body["message_id"])

    async def press(self, user_id: int, button: str, message_id: int) -> None:
        """The user presses the button with this callback data on message `message_id`."""
        await self._call("POST", f"/users/{user_id}/press", json={"button": button, "message_id": message_id})

    async def messages(self, user_id: int, after: int, count: int, timeout: float) -> list[dict[str, Any]]:
        """Bot messages with id > after, waiting up to `timeout` for `count` of them."""
        body = await self._call(
            "GET", f"/users/{user_id}/messages",
            params={"after": str(after), "count": str(count), "timeout": str(timeout)},
        )
        messages: list[dict[str, Any]] = body["messages"]
        return messages

    async def reply_to(self, user_id: int, message_id: int, timeout: float = REPLY_TIMEOUT_SECONDS) -> dict[str, Any]:
        """The first bot message after the user's message `message_id` (long-polled)."""
        found = await self.messages(user_id, message_id, 1, timeout)
        if not found:
            raise DriverError(f"no reply within {timeout:.0f} s")
        return found[0]

    async def change_of(
        self, user_id: int, message: dict[str, Any], timeout: float = REPLY_TIMEOUT_SECONDS
    ) -> dict[str, Any]:
        """Wait until `message` is edited or a newer bot message appears; returns that message."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        message_id = int(message["message_id"])
        while loop.time() < deadline:
            for current in await self.messages(user_id, message_id - 1, 1, 0):
                if current["message_id"] > message_id or current["edited"] > message["edited"]:
                    return dict(current)
            await asyncio.sleep(EDIT_POLL_SECONDS)
        raise DriverError(f"message {message_id} did not change within {timeout:.0f} s")

    async def counters(self) -> dict[str, Any]:
        """The bot's counters."""
        body = await self._call("GET", "/counters")
        counters: dict[str, Any] = body["counters"]
        return counters


def callback_buttons(message: dict[str, Any]) -> set[str]:
    """The callback data of every inline button of a message."""
    return {
        button["callback_data"]
        for row in message.get("inline_keyboard") or ()
        for button in row
        if button.get("callback_data")
    }
