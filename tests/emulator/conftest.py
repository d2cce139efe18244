"""Fixtures for the emulator tests: a running emulator, a raw HTTP client and a python-telegram-bot Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import Bot

from bot.emulator import BotApiEmulator, EmulatedUser

TOKEN = "123456:" + "A" * 35
BOT_ID = 123456


class RawApi:
    """Calls the emulator over plain HTTP and returns (status, decoded JSON)."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.base_url = base_url

    async def call(self, method: str, token: str = TOKEN, **params: Any) -> tuple[int, dict[str, Any]]:
        """POST `params` as a JSON body."""
        async with self.session.post(f"{self.base_url}{token}/{method}", json=params) as response:
            return response.status, await response.json()

    async def form(
        self, method: str, fields: dict[str, str] | aiohttp.FormData, token: str = TOKEN
    ) -> tuple[int, dict[str, Any]]:
        """POST form fields (urlencoded, or multipart when given FormData with files)."""
        async with self.session.post(f"{self.base_url}{token}/{method}", data=fields) as response:
            return response.status, await response.json()

    async def get(self, method: str, token: str = TOKEN, **query: str) -> tuple[int, dict[str, Any]]:
        """GET with query-string parameters."""
        async with self.session.get(f"{self.base_url}{token}/{method}", params=query) as response:
            return response.status, await response.json()

    async def ok(self, method: str, **params: Any) -> Any:
        """Call `method` and return its result, failing the test on an error answer."""
        status, body = await self.call(method, **params)
        assert status == 200 and body["ok"], body
        return body["result"]


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A started emulator with the default (Telegram-like) flood limits and fast webhook retries."""
    emulator = BotApiEmulator(webhook_retry_delay=0.05)
    await emulator.start()
    emulator.register_bot(TOKEN)
    yield emulator
    await emulator.stop()


@pytest.fixture
async def api(emulator: BotApiEmulator) -> AsyncIterator[RawApi]:
    """A raw HTTP client for the emulator."""
    async with aiohttp.ClientSession() as session:
        yield RawApi(session, emulator.base_url)


@pytest.fixture
async def ptb_bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    """A python-telegram-bot Bot talking to the emulator."""
    async with Bot(TOKEN, base_url=emulator.base_url, base_file_url=emulator.base_file_url) as bot:
        yield bot


@pytest.fixture
async def lan(emulator: BotApiEmulator) -> EmulatedUser:
    """A Vietnamese-speaking user who has written to the bot, so their chat exists."""
    user = emulator.user(1001, first_name="Lan", last_name="Nguyễn", language_code="vi")
    await user.send("/start")
    return user
