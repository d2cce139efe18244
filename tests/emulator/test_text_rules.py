"""Text and caption rules: limits after entity parsing in UTF-16 units, trimming, empty texts, commands."""

from __future__ import annotations

import pytest

from bot.emulator import BotApiEmulator, EmulatedUser
from bot.emulator.errors import ApiError
from bot.emulator.formatting import format_caption, format_message_text, user_text
from tests.emulator.conftest import RawApi


def description_of(error: pytest.ExceptionInfo[ApiError]) -> str:
    return error.value.description


@pytest.mark.parametrize(
    "text",
    [
        "a" * 4096,
        "ệ" * 4096,
        "ក" * 4096,
        "😀" * 2048,
        "<b>" + "Việt" * 1024 + "</b>",
        "  " + "a" * 4096 + "\n\n",
    ],
)
def test_texts_up_to_4096_utf16_units_after_parsing_are_accepted(text: str) -> None:
    assert format_message_text(text, "HTML", None).text.strip()


@pytest.mark.parametrize("text", ["a" * 4097, "😀" * 2048 + "a", "ệ" * 4097, "e\u0302\u0323" * 1366])
def test_longer_texts_are_too_long(text: str) -> None:
    with pytest.raises(ApiError) as caught:
        format_message_text(text, None, None)
    assert description_of(caught) == "Bad Request: message is too long"


def test_empty_and_blank_texts_fail_with_telegrams_two_messages() -> None:
    with pytest.raises(ApiError) as empty:
        format_message_text("", None, None)
    assert description_of(empty) == "Bad Request: message text is empty"
    for blank in ("   \n ", "<b></b>", "<i> </i>\n"):
        with pytest.raises(ApiError) as caught:
            format_message_text(blank, "HTML", None)
        assert description_of(caught) == "Bad Request: text must be non-empty"


def test_text_is_trimmed_and_entities_follow() -> None:
    formatted = format_message_text("\n  Xin <b>chào </b>  \n", "HTML", None)
    assert formatted.text == "Xin chào"
    assert formatted.entities == ({"type": "bold", "offset": 4, "length": 4},)


def test_captions_allow_empty_and_stop_at_1024_units() -> None:
    assert format_caption(None, None, None).text == ""
    assert format_caption("<i>" + "ộ" * 1024 + "</i>", "HTML", None).text == "ộ" * 1024
    with pytest.raises(ApiError) as caught:
        format_caption("😀" * 513, None, None)
    assert description_of(caught) == "Bad Request: message caption is too long"


@pytest.mark.parametrize(
    ("parse_mode", "message"),
    [
        (
            "MarkdownV2",
            "Bad Request: can't parse entities: "
            "parse_mode MarkdownV2 is not supported by the emulator; use HTML",
        ),
        ("textile", "Bad Request: unsupported parse_mode"),
    ],
)
def test_other_parse_modes_are_refused(parse_mode: str, message: str) -> None:
    with pytest.raises(ApiError) as caught:
        format_message_text("*x*", parse_mode, None)
    assert description_of(caught) == message


def test_explicit_entities_are_kept_and_checked() -> None:
    formatted = format_message_text("Mã BHYT", None, [{"type": "bold", "offset": 3, "length": 10}])
    assert formatted.entities == ({"type": "bold", "offset": 3, "length": 4},)
    with pytest.raises(ApiError) as caught:
        format_message_text("x", None, [{"type": "bold", "offset": -1, "length": 1}])
    assert description_of(caught) == "Bad Request: receive an entity with incorrect offset -1"


@pytest.mark.parametrize(
    ("text", "commands"),
    [
        ("/start", [(0, 6)]),
        ("/start@emulated_123456_bot abc", [(0, 26)]),
        ("Chào /help_me nhé", [(5, 8)]),
        ("😀 /lich", [(3, 5)]),
        ("a/b and http://x/y", []),
    ],
)
def test_user_texts_carry_bot_command_entities(text: str, commands: list[tuple[int, int]]) -> None:
    found = [(e["offset"], e["length"]) for e in user_text(text).entities if e["type"] == "bot_command"]
    assert found == commands


async def test_sendmessage_applies_the_rules_over_http(api: RawApi, lan: EmulatedUser) -> None:
    status, body = await api.call("sendMessage", chat_id=lan.id, text="😀" * 2049)
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, body = await api.call("sendMessage", chat_id=lan.id, text="")
    assert (status, body["description"]) == (400, "Bad Request: message text is empty")
    result = await api.ok(
        "sendMessage", chat_id=lan.id, text="  <b>Lịch hẹn</b> &amp; thuốc ", parse_mode="html"
    )
    assert result["text"] == "Lịch hẹn & thuốc"
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 8}]
    assert lan.last_message is not None and lan.last_message.html == "  <b>Lịch hẹn</b> &amp; thuốc "


async def test_user_command_reaches_the_bot_with_its_entity(emulator: BotApiEmulator, api: RawApi) -> None:
    user = emulator.user(7, first_name="Sokha", language_code="km")
    await user.send("/start abc")
    [update] = await api.ok("getUpdates")
    message = update["message"]
    assert message["text"] == "/start abc"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message["from"] == {"id": 7, "is_bot": False, "first_name": "Sokha", "language_code": "km"}
    assert message["chat"] == {"id": 7, "type": "private", "first_name": "Sokha"}
