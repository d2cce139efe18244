"""The aiohttp client for python-telegram-bot: answers, uploads, timeouts, refused connections."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.aiohttp_request import AiohttpRequest, environment_proxy
from bot.broadcast.telegram_transport import classify
from bot.broadcast.transport import ResultKind


@pytest.fixture
async def slow_server() -> AsyncIterator[str]:
    """A server answering `/fast` at once and `/slow` after two seconds."""

    async def fast(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": await request.json()})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    async def pause(request: web.Request) -> web.Response:
        await asyncio.sleep(0.3)
        return web.json_response({"ok": True, "result": True})

    async def form(request: web.Request) -> web.Response:
        fields: dict[str, object] = {}
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                content = value.file.read().decode()
                value = {"filename": value.filename, "type": value.content_type, "bytes": content}
            fields[name] = value
        return web.json_response({"ok": True, "result": fields})

    app = web.Application()
    app.router.add_post("/form", form)
    app.router.add_post("/pause", pause)
    app.router.add_post("/fast", fast)
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_a_json_request_is_posted_and_answered(slow_server: str) -> None:
    request = AiohttpRequest(2)
    async with request:
        data = RequestData(
            [RequestParameter.from_input("chat_id", 5), RequestParameter.from_input("text", "Chào")]
        )
        result = await request.post(f"{slow_server}/fast", request_data=data)
    assert result == {"chat_id": "5", "text": "Chào"}, "python-telegram-bot's JSON encoding"


async def test_a_slow_answer_times_out_and_is_retried_later(slow_server: str) -> None:
    request = AiohttpRequest(2, read_timeout=0.1)
    async with request:
        with pytest.raises(TimedOut) as raised:
            await request.post(f"{slow_server}/slow")
    assert classify(raised.value).kind is ResultKind.TRANSIENT


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(2)
    async with request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/sendMessage")
    assert classify(raised.value).kind is ResultKind.TRANSIENT


async def test_a_full_pool_makes_the_next_request_wait_for_a_free_connection(slow_server: str) -> None:
    request = AiohttpRequest(1, pool_timeout=5.0)
    started = asyncio.get_running_loop().time()
    async with request:
        answers = await asyncio.gather(*(request.post(f"{slow_server}/pause") for _ in range(3)))
    assert answers == [True, True, True]
    assert asyncio.get_running_loop().time() - started >= 0.85, "one connection: one at a time"


async def test_a_pool_timeout_fails_the_waiting_request_only(slow_server: str) -> None:
    request = AiohttpRequest(1, pool_timeout=0.1, connect_timeout=0.1)
    async with request:
        first = asyncio.ensure_future(request.post(f"{slow_server}/pause"))
        await asyncio.sleep(0.05)
        with pytest.raises(TimedOut):
            await request.post(f"{slow_server}/pause")
        assert await first is True


async def test_an_unopened_client_says_so(slow_server: str) -> None:
    request = AiohttpRequest(1)
    with pytest.raises(RuntimeError):
        await request.do_request(f"{slow_server}/fast", "POST")


async def test_a_file_is_uploaded_as_multipart_with_its_parameters(slow_server: str) -> None:
    request = AiohttpRequest(1)
    upload = InputFile(b"BEGIN:VCALENDAR", filename="hen-kham.ics", attach=True)
    data = RequestData(
        [
            RequestParameter.from_input("chat_id", 7),
            RequestParameter.from_input("caption", "Lịch hẹn"),
            RequestParameter.from_input("protect_content", True),
            RequestParameter.from_input("document", upload),
        ]
    )
    async with request:
        result = await request.post(f"{slow_server}/form", request_data=data)
    document = result.pop(upload.attach_name)
    assert document == {"filename": "hen-kham.ics", "type": "text/calendar", "bytes": "BEGIN:VCALENDAR"}
    assert result == {
        "chat_id": "7",
        "caption": "Lịch hẹn",
        "protect_content": "true",
        "document": f"attach://{upload.attach_name}",
    }, "parameters JSON-encoded as Telegram expects, the file referenced by its part"


def test_the_environment_names_the_proxy_unless_the_host_is_excluded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    assert environment_proxy("https://api.telegram.org/bot1:x/getMe") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.soyte.local:3128")
    assert environment_proxy("https://api.telegram.org/bot1:x/getMe") == "http://proxy.soyte.local:3128"
    assert environment_proxy("http://127.0.0.1:8081/bot1:x/getMe") is None, "no HTTP_PROXY set"
    monkeypatch.setenv("NO_PROXY", "api.telegram.org")
    assert environment_proxy("https://api.telegram.org/bot1:x/getMe") is None


async def test_requests_go_through_the_proxy_the_environment_names(
    slow_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy is our test server: it receives the absolute URL of the real destination."""
    for name in ("http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", slow_server)
    request = AiohttpRequest(1)
    async with request:
        data = RequestData([RequestParameter.from_input("chat_id", 9)])
        result = await request.post("http://bot-api.invalid/fast", request_data=data)
    assert result == {"chat_id": "9"}, "answered by the proxy for a host that does not resolve"
