"""A chat in the terminal: the operator plays a Telegram user talking to the bot via the emulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.emulator.driver import EmulatedUser
from bot.emulator.state import MessageRecord

HELP = """Type a message or a /command and press Enter.
  #N                 press button N of the last message that has buttons
  :contact PHONE     share PHONE as your own Telegram contact (as the 'Share my phone' button does)
  :other PHONE       share somebody else's contact
  :help              this help
  :quit              leave (Ctrl-D works too)"""

QUIET_SECONDS = 0.6
FIRST_ANSWER_SECONDS = 8.0


def _render(message: MessageRecord, edited: bool) -> str:
    lines = [("bot (edited)> " if edited else "bot> ") + (message.text or "")]
    if message.protect_content:
        lines[0] += "   [protected]"
    if message.document is not None:
        lines.append(f"     📎 {message.document.file_name}")
    for number, button in enumerate(message.inline_buttons, start=1):
        target = f" -> {button.url}" if button.url else ""
        lines.append(f"     [{number}] {button.text}{target}")
    markup = message.reply_markup
    if markup is not None and markup.kind == "keyboard":
        labels = ", ".join(button.text for row in markup.keyboard_rows for button in row)
        lines.append(f"     (keyboard: {labels} — use :contact PHONE)")
    return "\n".join(lines)


class TerminalChat:
    """Reads commands from a text stream and prints what the bot answers."""

    def __init__(
        self,
        user: EmulatedUser,
        read_line: Callable[[], str],
        out: TextIO,
        downloads: Path | None = None,
        echo_input: bool = False,
    ) -> None:
        self.user = user
        self.read_line = read_line
        self.out = out
        self.downloads = downloads
        self.echo_input = echo_input
        self._seen: dict[int, int] = {}

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _changes(self) -> list[tuple[MessageRecord, bool]]:
        changed = []
        for message in self.user.messages:
            if message.deleted:
                continue
            version = message.edited
            if message.message_id not in self._seen:
                changed.append((message, False))
            elif self._seen[message.message_id] != version:
                changed.append((message, True))
            self._seen[message.message_id] = version
        return changed

    async def show_answers(self) -> None:
        """Print new and edited bot messages until the bot has been quiet for a moment."""
        deadline = time.monotonic() + FIRST_ANSWER_SECONDS
        last_change = None
        while True:
            changes = self._changes()
            for message, edited in changes:
                self._print(_render(message, edited))
                self._save_document(message)
            now = time.monotonic()
            if changes:
                last_change = now
            if last_change is not None and now - last_change >= QUIET_SECONDS:
                return
            if last_change is None and now >= deadline:
                return
            await asyncio.sleep(0.05)

    def _save_document(self, message: MessageRecord) -> None:
        if message.document is None or self.downloads is None:
            return
        self.downloads.mkdir(parents=True, exist_ok=True)
        target = self.downloads / Path(message.document.file_name or "file").name
        target.write_bytes(message.document.content)
        self._print(f"     (saved to {target})")

    def _last_buttons(self) -> MessageRecord | None:
        for message in reversed(self.user.messages):
            if not message.deleted and message.inline_buttons:
                return message
        return None

    async def handle(self, line: str) -> bool:
        """Act on one line; False means the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        if line == ":help":
            self._print(HELP)
            return True
        if line.startswith("#") and line[1:].isdigit():
            await self._press(int(line[1:]))
        elif line.startswith(":contact "):
            await self.user.share_contact(line.split(maxsplit=1)[1], own=True)
        elif line.startswith(":other "):
            await self.user.share_contact(line.split(maxsplit=1)[1], own=False)
        elif line.startswith(":"):
            self._print("Unknown command. " + HELP)
            return True
        else:
            await self.user.send(line)
        await self.show_answers()
        return True

    async def _press(self, number: int) -> None:
        message = self._last_buttons()
        buttons = message.inline_buttons if message else []
        if message is None or not 1 <= number <= len(buttons):
            self._print(f"There is no button {number}.")
            return
        button = buttons[number - 1]
        if button.callback_data is None:
            self._print(f"That button opens {button.url}")
            return
        await self.user.press(button.callback_data, message)

    async def run(self) -> None:
        """Chat until :quit or the end of input."""
        self._print(HELP)
        loop = asyncio.get_running_loop()
        while True:
            self.out.write("you> ")
            self.out.flush()
            line = await loop.run_in_executor(None, self.read_line)
            if self.echo_input and line:
                self._print(line.rstrip("\n"))
            if line == "":  # end of input
                self._print("")
                return
            if not await self.handle(line):
                return
