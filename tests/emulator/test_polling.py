"""getUpdates: offsets, limits, long polling, allowed_updates and the 409 conflicts."""

from __future__ import annotations

import asyncio
import time

from bot.emulator import BotApiEmulator, EmulatedUser
from bot.emulator.errors import POLL_CONFLICT, WEBHOOK_ACTIVE
from tests.emulator.conftest import TOKEN, RawApi


def ids(updates: list[dict[str, object]]) -> list[object]:
    return [update["update_id"] for update in updates]


async def test_offset_confirms_earlier_updates(emulator: BotApiEmulator, api: RawApi) -> None:
    user = emulator.user(10)
    for text in ("một", "hai", "ba"):
        await user.send(text)
    assert ids(await api.ok("getUpdates")) == [1, 2, 3]
    assert ids(await api.ok("getUpdates")) == [1, 2, 3], "nothing is confirmed without an offset"
    assert ids(await api.ok("getUpdates", offset=3)) == [3]
    assert ids(await api.ok("getUpdates")) == [3], "offset 3 confirmed updates 1 and 2"
    await user.send("bốn")
    assert ids(await api.ok("getUpdates", offset=-1)) == [4]
    assert ids(await api.ok("getUpdates", offset=5)) == []


async def test_limit_is_clamped_to_1_to_100(emulator: BotApiEmulator, api: RawApi) -> None:
    user = emulator.user(11)
    for n in range(105):
        await user.send(str(n))
    assert len(await api.ok("getUpdates", limit=1)) == 1
    assert len(await api.ok("getUpdates", limit=0)) == 1
    assert len(await api.ok("getUpdates", limit=500)) == 100


async def test_long_poll_returns_as_soon_as_an_update_arrives(emulator: BotApiEmulator, api: RawApi) -> None:
    poll = asyncio.create_task(api.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    started = time.monotonic()
    await emulator.user(12).send("Xin chào")
    status, body = await asyncio.wait_for(poll, 2)
    assert status == 200 and body["result"][0]["message"]["text"] == "Xin chào"
    assert time.monotonic() - started < 1.0


async def test_long_poll_times_out_with_an_empty_list(api: RawApi) -> None:
    started = time.monotonic()
    assert await api.ok("getUpdates", timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 2.0


async def test_a_second_long_poll_terminates_the_first_with_409(api: RawApi) -> None:
    first = asyncio.create_task(api.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(api.call("getUpdates", timeout=1))
    status, body = await asyncio.wait_for(first, 2)
    assert (status, body) == (
        409,
        {"ok": False, "error_code": 409, "description": f"Conflict: {POLL_CONFLICT}"},
    )
    assert (await second)[1]["result"] == []


async def test_allowed_updates_filter_and_persist(
    emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser
) -> None:
    await api.ok(
        "sendMessage",
        chat_id=lan.id,
        text="Chọn",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    )
    await api.ok("getUpdates", offset=-1, allowed_updates=["callback_query"])
    await api.ok("getUpdates", offset=2)
    await lan.send("bị bỏ qua")
    await lan.press("A")
    updates = await api.ok("getUpdates")
    assert [list(update)[1] for update in updates] == ["callback_query"], "the setting persists between calls"
    await api.ok("getUpdates", offset=updates[-1]["update_id"] + 1, allowed_updates=[])
    await lan.send("lại nhận")
    assert (await api.ok("getUpdates"))[0]["message"]["text"] == "lại nhận"


async def test_get_updates_refused_while_a_webhook_is_set(api: RawApi) -> None:
    await api.ok("setWebhook", url="http://127.0.0.1:9/hook")
    status, body = await api.call("getUpdates")
    assert (status, body["description"]) == (409, f"Conflict: {WEBHOOK_ACTIVE}")
    await api.ok("deleteWebhook")
    assert await api.ok("getUpdates") == []


async def test_set_webhook_terminates_a_waiting_long_poll(api: RawApi) -> None:
    poll = asyncio.create_task(api.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    await api.ok("setWebhook", url="http://127.0.0.1:9/hook")
    status, body = await asyncio.wait_for(poll, 2)
    assert (status, body["description"]) == (409, "Conflict: terminated by setWebhook request")


async def test_stop_releases_a_waiting_long_poll(api: RawApi) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    poll = asyncio.create_task(
        api.session.post(f"{emulator.base_url}{TOKEN}/getUpdates", json={"timeout": 30})
    )
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await emulator.stop()
    response = await asyncio.wait_for(poll, 3)
    assert (await response.json())["result"] == []
    response.release()
    assert time.monotonic() - started < 3


async def test_unconfirmed_updates_expire_after_24_hours(emulator: BotApiEmulator, api: RawApi) -> None:
    user = emulator.user(13)
    await user.send("hôm qua")
    emulator.clock.advance(24 * 3600 - 60)
    await user.send("hôm nay")
    assert [u["message"]["text"] for u in await api.ok("getUpdates")] == ["hôm qua", "hôm nay"]
    emulator.clock.advance(120)
    assert [u["message"]["text"] for u in await api.ok("getUpdates")] == ["hôm nay"]
    assert (await api.ok("getWebhookInfo"))["pending_update_count"] == 1
