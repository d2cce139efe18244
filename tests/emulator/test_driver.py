"""The in-process driver: what emulated users can do and read."""

from __future__ import annotations

import asyncio

import pytest

from bot.emulator import BotApiEmulator, DriverError, EmulatedUser
from tests.emulator.conftest import RawApi

KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Hồ sơ", "callback_data": "record"}, {"text": "Trang web", "url": "https://moh.gov.vn"}]
    ]
}


async def test_wait_for_messages_returns_exactly_the_new_ones(api: RawApi, lan: EmulatedUser) -> None:
    for text in ("một", "hai", "ba"):
        await api.ok("sendMessage", chat_id=lan.id, text=text)
    assert [m.text for m in await lan.wait_for_messages(2)] == ["một", "hai"]
    assert [m.text for m in await lan.wait_for_messages(1)] == ["ba"]
    waiting = asyncio.create_task(lan.wait_for_messages(1, timeout=2))
    await asyncio.sleep(0.05)
    await api.ok("sendMessage", chat_id=lan.id, text="bốn")
    assert [m.text for m in await waiting] == ["bốn"]
    with pytest.raises(
        TimeoutError, match=r"expected 2 new bot message\(s\) for user 1001 within 0.1s, got \[\]"
    ):
        await lan.wait_for_messages(2, timeout=0.1)


async def test_press_finds_the_latest_message_with_the_button(api: RawApi, lan: EmulatedUser) -> None:
    older = await api.ok("sendMessage", chat_id=lan.id, text="cũ", reply_markup=KEYBOARD)
    newer = await api.ok("sendMessage", chat_id=lan.id, text="mới", reply_markup=KEYBOARD)
    assert (await lan.press("Hồ sơ")).message_id == newer["message_id"]
    assert (await lan.press("record", message=older["message_id"])).message_id == older["message_id"]
    with pytest.raises(DriverError, match="not a callback button"):
        await lan.press("Trang web")
    with pytest.raises(DriverError, match=r"no inline button 'Bảo hiểm'.*'Hồ sơ', 'Trang web'"):
        await lan.press("Bảo hiểm")
    await api.ok("deleteMessage", chat_id=lan.id, message_id=newer["message_id"])
    assert (await lan.press("Hồ sơ")).message_id == older["message_id"], "deleted messages have no buttons"


async def test_share_contact_own_or_someone_elses(api: RawApi, lan: EmulatedUser) -> None:
    await lan.share_contact("84912345678")
    await lan.share_contact("+84987654321", own=False, first_name="Mẹ")
    updates = await api.ok("getUpdates")
    own, other = updates[-2]["message"]["contact"], updates[-1]["message"]["contact"]
    assert own == {
        "phone_number": "84912345678",
        "first_name": "Lan",
        "last_name": "Nguyễn",
        "user_id": lan.id,
    }
    assert other["user_id"] != lan.id and other["first_name"] == "Mẹ"


async def test_blocked_user_cannot_write(lan: EmulatedUser) -> None:
    await lan.block()
    with pytest.raises(DriverError, match="blocked the bot"):
        await lan.send("hello")
    await lan.unblock()
    await lan.send("hello")


async def test_wait_for_edit_and_deletion(api: RawApi, lan: EmulatedUser) -> None:
    sent = await api.ok("sendMessage", chat_id=lan.id, text="1")
    message_id = sent["message_id"]
    await api.ok("editMessageText", chat_id=lan.id, message_id=message_id, text="2")
    assert (await lan.wait_for_edit(message_id)).text == "2"
    with pytest.raises(TimeoutError):
        await lan.wait_for_edit(message_id, timeout=0.1)
    await api.ok("editMessageText", chat_id=lan.id, message_id=message_id, text="3")
    assert (await lan.wait_for_edit(message_id)).edited == 2
    await api.ok("deleteMessage", chat_id=lan.id, message_id=message_id)
    assert (await lan.wait_for_deletion(message_id)).deleted


async def test_users_pick_their_bot(emulator: BotApiEmulator, api: RawApi) -> None:
    second_token = "777:" + "Z" * 35
    emulator.register_bot(second_token, first_name="Bot hai")
    with pytest.raises(DriverError, match="2 bots are registered"):
        await emulator.user(50).send("hi")
    await emulator.user(50, bot_id=777).send("hi")
    updates = await api.call("getUpdates", token=second_token)
    assert updates[1]["result"][0]["message"]["text"] == "hi"
    assert await api.ok("getUpdates") == []


async def test_reading_does_not_open_the_chat(emulator: BotApiEmulator, api: RawApi) -> None:
    quiet = emulator.user(60)
    assert quiet.messages == [] and quiet.last_message is None and quiet.visible_commands() == []
    status, body = await api.call("sendMessage", chat_id=60, text="x")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")


async def test_wait_for_activity_reports_new_edited_and_deleted_messages(
    api: RawApi, lan: EmulatedUser
) -> None:
    first = await api.ok("sendMessage", chat_id=lan.id, text="một")
    await api.ok("sendMessage", chat_id=lan.id, text="hai")
    assert [m.text for m in await lan.wait_for_activity()] == ["một", "hai"]
    assert await lan.wait_for_activity(timeout=0.05) == []
    await api.ok("editMessageText", chat_id=lan.id, message_id=first["message_id"], text="một (sửa)")
    assert [(m.text, m.edited) for m in await lan.wait_for_activity()] == [("một (sửa)", 1)]
    await api.ok("deleteMessage", chat_id=lan.id, message_id=first["message_id"])
    assert [(m.message_id, m.deleted) for m in await lan.wait_for_activity()] == [(first["message_id"], True)]
