"""Sending, editing and deleting messages, and answering button presses, with Telegram's errors."""

from __future__ import annotations

from typing import Any

from bot.emulator import BotApiEmulator, EmulatedUser
from bot.emulator.errors import NOT_MODIFIED, QUERY_ID_INVALID
from tests.emulator.conftest import RawApi

BUTTONS = {"inline_keyboard": [[{"text": "Lịch hẹn", "callback_data": "appointments"}]]}


async def test_chat_exists_only_after_the_user_wrote(emulator: BotApiEmulator, api: RawApi) -> None:
    status, body = await api.call("sendMessage", chat_id=2002, text="Xin chào")
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
    )
    assert (await api.call("sendMessage", chat_id="@someone", text="x"))[1]["description"] == (
        "Bad Request: chat not found"
    )
    await emulator.user(2002).send("hi")
    assert (await api.ok("sendMessage", chat_id=2002, text="Xin chào"))["chat"]["id"] == 2002


async def test_blocked_user_gives_forbidden_until_unblocked(api: RawApi, lan: EmulatedUser) -> None:
    await lan.block()
    status, body = await api.call("sendMessage", chat_id=lan.id, text="Nhắc lịch")
    assert (status, body) == (
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )
    assert (await api.call("sendChatAction", chat_id=lan.id, action="typing"))[0] == 403
    assert (await api.ok("getChat", chat_id=lan.id))["first_name"] == "Lan"
    await lan.unblock()
    await api.ok("sendMessage", chat_id=lan.id, text="Nhắc lịch")
    kinds = [next(k for k in update if k != "update_id") for update in await api.ok("getUpdates")]
    assert kinds == ["message", "my_chat_member", "my_chat_member"]


async def test_edit_text_keeps_history_and_refuses_identical_content(api: RawApi, lan: EmulatedUser) -> None:
    sent = await api.ok(
        "sendMessage", chat_id=lan.id, text="<b>Đang tải</b>", parse_mode="HTML", reply_markup=BUTTONS
    )
    message_id = sent["message_id"]
    edit = {"chat_id": lan.id, "message_id": message_id, "text": "<b>Đang tải</b>", "parse_mode": "HTML"}
    status, body = await api.call("editMessageText", **edit, reply_markup=BUTTONS)
    assert (status, body["description"]) == (400, f"Bad Request: {NOT_MODIFIED}")
    edited = await api.ok("editMessageText", **edit)  # no reply_markup: the keyboard goes away
    assert "reply_markup" not in edited and "edit_date" in edited
    edited = await api.ok("editMessageText", chat_id=lan.id, message_id=message_id, text="Xong")
    assert edited["text"] == "Xong" and "entities" not in edited
    message = lan.messages[-1]
    assert message.edited == 2 and [v.text for v in message.history] == ["Đang tải", "Đang tải"]
    assert message.history[0].reply_markup is not None and message.reply_markup is None


async def test_edit_reply_markup(api: RawApi, lan: EmulatedUser) -> None:
    sent = await api.ok("sendMessage", chat_id=lan.id, text="Chọn", reply_markup=BUTTONS)
    target = {"chat_id": lan.id, "message_id": sent["message_id"]}
    assert (await api.call("editMessageReplyMarkup", **target, reply_markup=BUTTONS))[1]["description"] == (
        f"Bad Request: {NOT_MODIFIED}"
    )
    cleared = await api.ok("editMessageReplyMarkup", **target)
    assert "reply_markup" not in cleared and lan.messages[-1].inline_buttons == []
    status, body = await api.call("editMessageReplyMarkup", **target, reply_markup={"keyboard": [["a"]]})
    assert (status, body["description"]) == (400, "Bad Request: inline keyboard expected")


async def test_edit_errors(api: RawApi, lan: EmulatedUser) -> None:
    user_message_id = lan.chat.messages[1].message_id
    cases: list[tuple[dict[str, Any], str]] = [
        ({"chat_id": lan.id, "message_id": 999, "text": "x"}, "Bad Request: message to edit not found"),
        (
            {"chat_id": lan.id, "message_id": user_message_id, "text": "x"},
            "Bad Request: message can't be edited",
        ),
        ({"text": "x"}, "Bad Request: message identifier is not specified"),
        ({"inline_message_id": "abc", "text": "x"}, "Bad Request: MESSAGE_ID_INVALID"),
        ({"chat_id": 31337, "message_id": 1, "text": "x"}, "Bad Request: chat not found"),
    ]
    for params, description in cases:
        status, body = await api.call("editMessageText", **params)
        assert (status, body["description"]) == (400, description), params


async def test_delete_own_and_user_messages_within_48_hours(
    emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser
) -> None:
    sent = await api.ok("sendMessage", chat_id=lan.id, text="Mã OTP 123456", protect_content=True)
    secret = await lan.send("CCCD 012345678901")
    assert await api.ok("deleteMessage", chat_id=lan.id, message_id=secret.message_id) is True
    assert await api.ok("deleteMessage", chat_id=lan.id, message_id=sent["message_id"]) is True
    assert lan.deleted_user_messages == [secret.message_id]
    assert lan.messages[-1].deleted and lan.last_message is None
    status, body = await api.call("deleteMessage", chat_id=lan.id, message_id=sent["message_id"])
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")
    status, body = await api.call("editMessageText", chat_id=lan.id, message_id=sent["message_id"], text="x")
    assert body["description"] == "Bad Request: message to edit not found"
    old = await api.ok("sendMessage", chat_id=lan.id, text="cũ")
    emulator.clock.advance(48 * 3600 + 1)
    status, body = await api.call("deleteMessage", chat_id=lan.id, message_id=old["message_id"])
    assert (status, body["description"]) == (400, "Bad Request: message can't be deleted")


async def test_delete_messages_skips_what_cannot_be_deleted(api: RawApi, lan: EmulatedUser) -> None:
    first = await api.ok("sendMessage", chat_id=lan.id, text="1")
    assert await api.ok("deleteMessages", chat_id=lan.id, message_ids=[first["message_id"], 999]) is True
    assert lan.messages[-1].deleted


async def test_callback_query_answered_once(emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser) -> None:
    await api.ok("sendMessage", chat_id=lan.id, text="Chọn", reply_markup=BUTTONS)
    query = await lan.press("Lịch hẹn")
    updates = await api.ok("getUpdates")
    callback = updates[-1]["callback_query"]
    assert callback["data"] == "appointments" and callback["from"]["id"] == lan.id
    assert callback["message"]["reply_markup"] == BUTTONS
    assert (
        await api.ok("answerCallbackQuery", callback_query_id=query.id, text="Đang mở", show_alert=True)
        is True
    )
    assert (await lan.wait_for_answer(query)).text == "Đang mở"
    assert lan.callback_answers[0].show_alert is True
    for query_id in (query.id, "12345"):
        status, body = await api.call("answerCallbackQuery", callback_query_id=query_id)
        assert (status, body["description"]) == (400, f"Bad Request: {QUERY_ID_INVALID}")


async def test_reply_to_a_message(api: RawApi, lan: EmulatedUser) -> None:
    question = await lan.send("Khi nào tái khám?")
    reply = await api.ok(
        "sendMessage", chat_id=lan.id, text="Thứ Hai", reply_parameters={"message_id": question.message_id}
    )
    assert reply["reply_to_message"]["text"] == "Khi nào tái khám?"
    status, body = await api.call(
        "sendMessage", chat_id=lan.id, text="x", reply_parameters={"message_id": 999}
    )
    assert (status, body["description"]) == (400, "Bad Request: message to be replied not found")
    lenient = {"message_id": 999, "allow_sending_without_reply": True}
    assert "reply_to_message" not in await api.ok(
        "sendMessage", chat_id=lan.id, text="x", reply_parameters=lenient
    )


async def test_chat_action_and_chat_info(api: RawApi, lan: EmulatedUser) -> None:
    assert await api.ok("sendChatAction", chat_id=lan.id, action="typing") is True
    assert lan.chat.last_action == "typing"
    status, body = await api.call("sendChatAction", chat_id=lan.id, action="dancing")
    assert (status, body["description"]) == (400, "Bad Request: wrong parameter action in request")
    chat = await api.ok("getChat", chat_id=lan.id)
    assert chat["type"] == "private" and chat["last_name"] == "Nguyễn" and chat["accent_color_id"] == 0


async def test_menu_button_per_chat_and_default(api: RawApi, lan: EmulatedUser) -> None:
    assert await api.ok("getChatMenuButton", chat_id=lan.id) == {"type": "commands"}
    web_app = {"type": "web_app", "text": "Hồ sơ", "web_app": {"url": "https://example.org/app"}}
    assert await api.ok("setChatMenuButton", chat_id=lan.id, menu_button=web_app) is True
    assert await api.ok("getChatMenuButton", chat_id=lan.id) == web_app
    status, body = await api.call("setChatMenuButton", menu_button={"type": "magic"})
    assert (status, body["description"]) == (
        400,
        "Bad Request: can't parse menu button: MenuButton has unsupported type",
    )


async def test_sent_messages_log_spans_chats(
    emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser
) -> None:
    other = emulator.user(3003, first_name="Rahim", language_code="bn")
    await other.send("hello")
    await api.ok("sendMessage", chat_id=lan.id, text="một")
    await api.ok("sendMessage", chat_id=other.id, text="two")
    assert [(m.chat_id, m.text) for m in emulator.sent_messages()] == [(lan.id, "một"), (other.id, "two")]
    assert emulator.counters[emulator.bot().id].messages_sent == 2
