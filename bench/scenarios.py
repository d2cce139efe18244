"""What simulated citizens ask the bot: a table of (name, action).

An action plays one request through the driver and returns the seconds from sending to the
bot's answer. A scenario the bot under test cannot answer yet (unknown command, missing
button) is reported "not available" by `probe` and left out of the load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from bench.driver_client import DriverClient, DriverError, callback_buttons

UNKNOWN_COMMAND = "/benchmark_no_such_command"
PROBE_TIMEOUT_SECONDS = 10.0


class Action(Protocol):
    """One request of a simulated user; returns the measured latency in seconds."""

    async def run(self, client: DriverClient, user_id: int) -> float:
        """Play the request once."""

    async def probe(self, client: DriverClient, user_id: int, unknown_reply: str) -> str | None:
        """None when the bot answers this request properly, else why not."""


@dataclass(frozen=True, slots=True)
class SendText:
    """Send a text or command; measured until the first reply message."""

    text: str

    async def run(self, client: DriverClient, user_id: int) -> float:
        """Send and wait for the reply."""
        started = time.perf_counter()
        message_id = await client.send(user_id, self.text)
        await client.reply_to(user_id, message_id)
        return time.perf_counter() - started

    async def probe(self, client: DriverClient, user_id: int, unknown_reply: str) -> str | None:
        """Unavailable when the reply is the one to an unknown command."""
        try:
            message_id = await client.send(user_id, self.text)
            reply = await client.reply_to(user_id, message_id, PROBE_TIMEOUT_SECONDS)
        except DriverError as error:
            return f"{self.text}: {error}"
        if reply["text"] == unknown_reply:
            return f"the bot answers {self.text} like an unknown command"
        return None


@dataclass(frozen=True, slots=True)
class PressButton:
    """Send `setup`, then press `button` on the reply; measured from the press to the answer."""

    setup: str
    button: str

    async def _setup(self, client: DriverClient, user_id: int, timeout: float) -> dict[str, object]:
        message_id = await client.send(user_id, self.setup)
        return await client.reply_to(user_id, message_id, timeout)

    async def run(self, client: DriverClient, user_id: int) -> float:
        """Ask for the message with the button (not measured), press it, wait for the change."""
        shown = await self._setup(client, user_id, PROBE_TIMEOUT_SECONDS * 3)
        started = time.perf_counter()
        await client.press(user_id, self.button, int(str(shown["message_id"])))
        await client.change_of(user_id, shown)
        return time.perf_counter() - started

    async def probe(self, client: DriverClient, user_id: int, unknown_reply: str) -> str | None:
        """Unavailable when the setup reply has no such button, or pressing it changes nothing."""
        try:
            shown = await self._setup(client, user_id, PROBE_TIMEOUT_SECONDS)
            if self.button not in callback_buttons(shown):
                return f"no {self.button!r} button on the reply to {self.setup}"
            await client.press(user_id, self.button, int(str(shown["message_id"])))
            await client.change_of(user_id, shown, PROBE_TIMEOUT_SECONDS)
        except DriverError as error:
            return f"{self.setup} then {self.button}: {error}"
        return None


Scenario = tuple[str, Action]

CITIZEN_SCENARIOS: tuple[Scenario, ...] = (
    ("record_summary", SendText("/record")),
    ("visit_page", PressButton("/record", "rec:v:1")),
    ("appointments", SendText("/appointments")),
    ("insurance", SendText("/insurance")),
)
"""What the issue asks to measure."""

BASELINE_SCENARIOS: tuple[Scenario, ...] = (
    ("start", SendText("/start")),
    ("help", SendText("/help")),
)
"""Commands that exist from the first version: measured too, so a run always has numbers."""

ECHO_SCENARIOS: tuple[Scenario, ...] = (("echo", SendText("Xin chào, tôi muốn xem hồ sơ")),)
"""The ceiling: the bare echo bot answering a text."""

SCENARIO_SETS: dict[str, tuple[Scenario, ...]] = {
    "citizen": CITIZEN_SCENARIOS + BASELINE_SCENARIOS,
    "record": CITIZEN_SCENARIOS[:1],
    "echo": ECHO_SCENARIOS,
}
"""Loads by name: the mix of everything, the record summary alone (its target), the echo."""
