"""Keyboards: callback_data bytes, button texts, button count, private-only requests, echo in messages."""

from __future__ import annotations

import pytest

from bot.emulator import BotApiEmulator, EmulatedUser
from tests.emulator.conftest import RawApi


def keyboard(*buttons: dict[str, str]) -> dict[str, object]:
    return {"inline_keyboard": [list(buttons)]}


async def test_callback_data_may_use_all_64_bytes(api: RawApi, lan: EmulatedUser) -> None:
    data = "ệ" * 21 + "a"  # 21 * 3 bytes + 1 = 64 bytes
    result = await api.ok(
        "sendMessage",
        chat_id=lan.id,
        text="Chọn",
        reply_markup=keyboard({"text": "Có", "callback_data": data}),
    )
    assert result["reply_markup"] == {"inline_keyboard": [[{"text": "Có", "callback_data": data}]]}
    assert lan.last_message is not None
    assert lan.last_message.inline_buttons[0].callback_data == data


@pytest.mark.parametrize("data", ["ệ" * 22, "ក" * 22, "x" * 65])
async def test_callback_data_over_64_bytes_is_invalid(api: RawApi, lan: EmulatedUser, data: str) -> None:
    status, body = await api.call(
        "sendMessage",
        chat_id=lan.id,
        text="Chọn",
        reply_markup=keyboard({"text": "Có", "callback_data": data}),
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        (
            keyboard({"text": "", "callback_data": "x"}),
            "Bad Request: inline keyboard button text must be non-empty",
        ),
        (
            keyboard({"text": "x", "callback_data": ""}),
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        (
            keyboard({"callback_data": "x"}),
            "Bad Request: can't parse inline keyboard button: Can't find field \"text\"",
        ),
        (keyboard({"text": "x", "url": "ftp://x"}), "Bad Request: BUTTON_URL_INVALID"),
        (
            {"inline_keyboard": [{"text": "x"}]},
            'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays',
        ),
        ({"keyboard": [[{"text": ""}]]}, "Bad Request: keyboard button text must be non-empty"),
        (
            {"inline_keyboard": [[{"text": str(n), "callback_data": str(n)} for n in range(101)]]},
            "Bad Request: reply markup is too long",
        ),
    ],
)
async def test_broken_markup_is_refused(
    api: RawApi, lan: EmulatedUser, markup: dict[str, object], description: str
) -> None:
    status, body = await api.call("sendMessage", chat_id=lan.id, text="x", reply_markup=markup)
    assert (status, body["description"]) == (400, description)


async def test_hundred_buttons_are_allowed(api: RawApi, lan: EmulatedUser) -> None:
    rows = [[{"text": f"{row}.{n}", "callback_data": f"{row}.{n}"} for n in range(10)] for row in range(10)]
    await api.ok("sendMessage", chat_id=lan.id, text="x", reply_markup={"inline_keyboard": rows})
    assert lan.last_message is not None and len(lan.last_message.inline_buttons) == 100


async def test_request_contact_keyboard_only_in_private_chats(
    emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser
) -> None:
    markup = {
        "keyboard": [[{"text": "Chia sẻ số điện thoại", "request_contact": True}]],
        "one_time_keyboard": True,
    }
    result = await api.ok("sendMessage", chat_id=lan.id, text="Số điện thoại?", reply_markup=markup)
    assert "reply_markup" not in result  # Telegram echoes only inline keyboards
    assert lan.reply_keyboard is not None and lan.reply_keyboard.keyboard_rows[0][0].request_contact
    group_id = emulator.add_group(-100500, "Trạm y tế")
    status, body = await api.call("sendMessage", chat_id=group_id, text="Số điện thoại?", reply_markup=markup)
    assert (status, body["description"]) == (
        400,
        "Bad Request: phone number can be requested in private chats only",
    )
    await api.ok("sendMessage", chat_id=lan.id, text="Cảm ơn", reply_markup={"remove_keyboard": True})
    assert lan.reply_keyboard is None


async def test_json_markup_inside_form_fields_is_decoded(api: RawApi, lan: EmulatedUser) -> None:
    markup = '{"inline_keyboard": [[{"text": "Đồng ý", "callback_data": "yes"}]]}'
    status, body = await api.form(
        "sendMessage", {"chat_id": str(lan.id), "text": "Ok?", "reply_markup": markup}
    )
    assert status == 200, body
    assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    status, body = await api.form(
        "sendMessage", {"chat_id": str(lan.id), "text": "Ok?", "reply_markup": "{oops"}
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: can't parse reply keyboard markup JSON object",
    )
