"""The sender's aiohttp client for python-telegram-bot: answers, timeouts, refused connections."""

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

from bot.broadcast.aiohttp_request import AiohttpRequest
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

    app = web.Application()
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
    await request.initialize()
    try:
        data = RequestData(
            [RequestParameter.from_input("chat_id", 5), RequestParameter.from_input("text", "Chào")]
        )
        result = await request.post(f"{slow_server}/fast", request_data=data)
    finally:
        await request.shutdown()
    assert result == {"chat_id": "5", "text": "Chào"}, "python-telegram-bot's JSON encoding"


async def test_a_slow_answer_times_out_and_is_retried_later(slow_server: str) -> None:
    request = AiohttpRequest(2, read_timeout=0.1)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as raised:
            await request.post(f"{slow_server}/slow")
    finally:
        await request.shutdown()
    assert classify(raised.value).kind is ResultKind.TRANSIENT


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/sendMessage")
    finally:
        await request.shutdown()
    assert classify(raised.value).kind is ResultKind.TRANSIENT


async def test_files_are_refused_and_an_unopened_client_says_so(slow_server: str) -> None:
    request = AiohttpRequest(1)
    upload = InputFile(b"x", filename="x.txt")
    data = RequestData([RequestParameter.from_input("document", upload)])
    with pytest.raises(RuntimeError):
        await request.do_request(f"{slow_server}/fast", "POST", data)
    await request.initialize()
    try:
        with pytest.raises(ValueError):
            await request.do_request(f"{slow_server}/fast", "POST", data)
    finally:
        await request.shutdown()
