"""Webhook mode: pushes with the secret header, retries, per-chat order, info and URL checks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.emulator import BotApiEmulator
from bot.emulator.webhook import SECRET_HEADER
from tests.emulator.conftest import TOKEN, RawApi


class Receiver:
    """A bot's webhook endpoint that records deliveries and answers planned statuses (then 200)."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[str | None, dict[str, Any]]] = []
        self.planned_statuses: list[int] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.deliveries.append((request.headers.get(SECRET_HEADER), await request.json()))
        status = self.planned_statuses.pop(0) if self.planned_statuses else 200
        return web.Response(status=status)

    def accepted_texts(self) -> list[str]:
        return [body["message"]["text"] for _, body in self.deliveries if "message" in body]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    receiver.runner = web.AppRunner(app)
    await receiver.runner.setup()
    site = web.TCPSite(receiver.runner, "127.0.0.1", 0)
    await site.start()
    receiver.url = f"http://127.0.0.1:{receiver.runner.addresses[0][1]}/hook"
    yield receiver
    await receiver.runner.cleanup()


async def wait_for(condition: Any, timeout: float = 3.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_updates_are_pushed_with_the_secret_header(
    emulator: BotApiEmulator, api: RawApi, receiver: Receiver
) -> None:
    result = await api.call("setWebhook", url=receiver.url, secret_token="s3cr3t-Token_1")
    assert result == (200, {"ok": True, "result": True, "description": "Webhook was set"})
    await emulator.user(21, first_name="Hoa").send("/start")
    await wait_for(lambda: len(receiver.deliveries) == 1)
    secret, body = receiver.deliveries[0]
    assert secret == "s3cr3t-Token_1"
    assert body["update_id"] == 1 and body["message"]["text"] == "/start"
    await wait_for(lambda: not emulator.bot().updates.pending)
    info = await api.ok("getWebhookInfo")
    assert info == {
        "url": receiver.url,
        "has_custom_certificate": False,
        "pending_update_count": 0,
        "max_connections": 40,
        "ip_address": "127.0.0.1",
    }


async def test_failed_delivery_stays_pending_and_is_retried(
    emulator: BotApiEmulator, api: RawApi, receiver: Receiver
) -> None:
    receiver.planned_statuses = [500, 500]
    await api.ok("setWebhook", url=receiver.url)
    await emulator.user(22).send("Lịch hẹn")
    await wait_for(lambda: len(receiver.deliveries) >= 1)
    info = await api.ok("getWebhookInfo")
    assert info["pending_update_count"] == 1
    assert info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    assert isinstance(info["last_error_date"], int)
    await wait_for(lambda: len(receiver.deliveries) == 3)
    await wait_for(lambda: not emulator.bot().updates.pending)
    assert receiver.accepted_texts() == ["Lịch hẹn"] * 3


async def test_one_chats_updates_stay_in_order_while_other_chats_proceed(
    emulator: BotApiEmulator, api: RawApi, receiver: Receiver
) -> None:
    receiver.planned_statuses = [503]
    await api.ok("setWebhook", url=receiver.url)
    first, second = emulator.user(23), emulator.user(24)
    await first.send("A1")
    await wait_for(lambda: len(receiver.deliveries) == 1)
    await first.send("A2")
    await second.send("B1")
    await wait_for(lambda: not emulator.bot().updates.pending)
    texts = receiver.accepted_texts()
    assert texts[0] == "A1" and texts.index("A1", 1) < texts.index("A2")
    assert sorted(texts) == ["A1", "A1", "A2", "B1"]


async def test_unreachable_webhook_keeps_updates_for_later_polling(
    emulator: BotApiEmulator, api: RawApi
) -> None:
    await api.ok("setWebhook", url="http://127.0.0.1:9/unreachable", max_connections=500)
    await emulator.user(25).send("còn đó")
    webhook = emulator.bot().webhook
    assert webhook is not None
    await wait_for(lambda: webhook.last_error_message is not None)
    info = await api.ok("getWebhookInfo")
    assert info["max_connections"] == 100 and info["pending_update_count"] == 1
    assert info["last_error_message"] == "Connection refused"
    assert await api.call("deleteWebhook") == (
        200,
        {"ok": True, "result": True, "description": "Webhook was deleted"},
    )
    assert (await api.ok("getUpdates"))[0]["message"]["text"] == "còn đó"
    assert (await api.call("deleteWebhook"))[1]["description"] == "Webhook is already deleted"


async def test_drop_pending_updates_and_unchanged_webhook(
    emulator: BotApiEmulator, api: RawApi, receiver: Receiver
) -> None:
    await emulator.user(26).send("cũ")
    await api.ok("setWebhook", url=receiver.url, drop_pending_updates=True)
    assert (await api.call("setWebhook", url=receiver.url))[1]["description"] == "Webhook is already set"
    await asyncio.sleep(0.1)
    assert receiver.deliveries == []
    await api.ok("deleteWebhook")
    await emulator.user(26).send("mới")
    await api.ok("deleteWebhook", drop_pending_updates=True)
    assert await api.ok("getUpdates") == []


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"url": "not a url"}, "Bad Request: invalid webhook URL specified"),
        (
            {"url": "http://127.0.0.1:8443/x", "secret_token": "a" * 257},
            "Bad Request: secret token is too long",
        ),
        (
            {"url": "http://127.0.0.1:8443/x", "secret_token": "bí mật"},
            "Bad Request: secret token contains unallowed characters",
        ),
    ],
)
async def test_bad_webhook_parameters(api: RawApi, params: dict[str, Any], description: str) -> None:
    status, body = await api.call("setWebhook", **params)
    assert (status, body["description"]) == (400, description)


async def test_secure_mode_requires_https_on_telegram_ports() -> None:
    async with BotApiEmulator(secure_webhooks_only=True) as emulator, aiohttp.ClientSession() as session:
        api = RawApi(session, emulator.base_url)
        status, body = await api.call("setWebhook", url="http://example.org/hook", token=TOKEN)
        assert (status, body["description"]) == (
            400,
            "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
        )
        status, body = await api.call("setWebhook", url="https://example.org:9000/hook", token=TOKEN)
        assert (
            body["description"]
            == "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
        )
        assert (await api.call("setWebhook", url="https://example.org:8443/hook", token=TOKEN))[0] == 200
