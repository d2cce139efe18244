"""The JSON driver API, and the emulator running as its own process (as benchmarks use it)."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import aiohttp

from bot.emulator import BotApiEmulator
from tests.emulator.conftest import TOKEN, RawApi


class DriverClient:
    def __init__(self, session: aiohttp.ClientSession, driver_url: str) -> None:
        self.session = session
        self.driver_url = driver_url

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        async with self.session.request(method, f"{self.driver_url}{path}", **kwargs) as response:
            return response.status, await response.json()


async def test_driver_plays_a_user_over_http(emulator: BotApiEmulator, api: RawApi) -> None:
    driver = DriverClient(api.session, emulator.driver_url)
    status, body = await driver.request(
        "POST", "/users/501/send", json={"text": "/start", "first_name": "Bình", "language_code": "vi"}
    )
    assert (status, body) == (200, {"ok": True, "message_id": 1})
    [update] = await api.ok("getUpdates")
    assert (
        update["message"]["from"]["first_name"] == "Bình"
        and update["message"]["entities"][0]["type"] == "bot_command"
    )
    keyboard = {"inline_keyboard": [[{"text": "Bảo hiểm", "callback_data": "bhyt"}]]}
    await api.ok("sendMessage", chat_id=501, text="<i>Chào</i>", parse_mode="HTML", reply_markup=keyboard)
    status, body = await driver.request("GET", "/users/501/messages", params={"after": "0", "count": "1"})
    [message] = body["messages"]
    assert message["text"] == "Chào" and message["html"] == "<i>Chào</i>" and not message["deleted"]
    assert message["inline_keyboard"] == [[{"text": "Bảo hiểm", "callback_data": "bhyt", "url": None}]]
    status, body = await driver.request("POST", "/users/501/press", json={"button": "bhyt"})
    assert status == 200 and body["message_id"] == message["message_id"]
    status, body = await driver.request("POST", "/users/501/contact", json={"phone_number": "0912345678"})
    assert status == 200
    kinds = [list(update)[1] for update in await api.ok("getUpdates", offset=update["update_id"] + 1)]
    assert kinds == ["callback_query", "message"]
    assert (await driver.request("POST", "/users/501/block"))[0] == 200
    assert (await api.call("sendMessage", chat_id=501, text="x"))[0] == 403
    assert (await driver.request("POST", "/users/501/unblock"))[0] == 200
    status, body = await driver.request("GET", "/counters")
    assert body["counters"]["messages_sent"] == 1 and body["counters"]["requests"]["sendMessage"] == 2


async def test_driver_errors_are_explained(emulator: BotApiEmulator, api: RawApi) -> None:
    driver = DriverClient(api.session, emulator.driver_url)
    await driver.request("POST", "/users/502/send", json={"text": "hi"})
    status, body = await driver.request("POST", "/users/502/press", json={"button": "Không có"})
    assert status == 400 and body["ok"] is False and "no inline button 'Không có'" in body["error"]
    status, body = await driver.request("POST", "/users/502/send", json={})
    assert status == 400 and body["error"].startswith("KeyError")


async def test_messages_long_poll_and_flood_limit_switch(emulator: BotApiEmulator, api: RawApi) -> None:
    driver = DriverClient(api.session, emulator.driver_url)
    await driver.request("POST", "/users/503/send", json={"text": "hi"})
    waiting = asyncio.create_task(
        driver.request("GET", "/users/503/messages", params={"after": "1", "count": "1", "timeout": "5"})
    )
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await api.ok("sendMessage", chat_id=503, text="trả lời")
    status, body = await asyncio.wait_for(waiting, 3)
    assert [m["text"] for m in body["messages"]] == ["trả lời"] and time.monotonic() - started < 1
    status, body = await driver.request("PUT", "/flood-limits", json={"enabled": False})
    assert status == 200 and emulator.limits.enabled is False
    for n in range(40):
        await api.ok("sendMessage", chat_id=503, text=str(n))


async def test_emulator_runs_as_a_separate_process() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.emulator",
        "--port",
        "0",
        "--no-flood-limits",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        base_url = (await asyncio.wait_for(process.stdout.readline(), 10)).decode().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
        async with aiohttp.ClientSession() as session:
            api = RawApi(session, base_url)
            driver = DriverClient(session, base_url.removesuffix("/bot") + "/_driver")
            assert (await driver.request("POST", "/bots", json={"token": TOKEN}))[1]["id"] == 123456
            await driver.request("POST", "/users/9/send", json={"text": "ping"})
            [update] = await api.ok("getUpdates")
            assert update["message"]["text"] == "ping"
            for n in range(40):
                await api.ok("sendMessage", chat_id=9, text=str(n))
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 10) == 0
