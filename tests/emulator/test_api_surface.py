"""The HTTP surface: tokens, unknown methods, request encodings and validation against the Bot API spec."""

from __future__ import annotations

from typing import Any

import pytest

from bot.emulator import BotApiEmulator, EmulatedUser
from bot.emulator.spec import load_spec
from tests.emulator.conftest import BOT_ID, TOKEN, RawApi


async def test_getme_returns_the_bot_whose_id_is_the_token_number(api: RawApi) -> None:
    me = await api.ok("getMe")
    assert me["id"] == BOT_ID and me["is_bot"] is True and me["username"] == f"emulated_{BOT_ID}_bot"
    other = await api.call("getMe", token="987654321:" + "b" * 35)
    assert other[1]["result"]["id"] == 987654321


@pytest.mark.parametrize("token", ["123456", "abc:" + "A" * 35, "123456:short", "0:" + "A" * 35])
async def test_malformed_tokens_are_unauthorized(api: RawApi, token: str) -> None:
    assert await api.call("getMe", token=token) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_a_second_secret_for_the_same_bot_id_is_unauthorized(api: RawApi) -> None:
    status, _ = await api.call("getMe", token="123456:" + "B" * 35)
    assert status == 401


async def test_unknown_methods_and_paths_are_not_found(emulator: BotApiEmulator, api: RawApi) -> None:
    not_found = {"ok": False, "error_code": 404, "description": "Not Found"}
    assert await api.call("sendTelepathy") == (404, not_found)
    async with api.session.get(f"{emulator.root_url}/nothing/here") as response:
        assert (response.status, await response.json()) == (404, not_found)


async def test_method_names_are_case_insensitive_and_get_is_accepted(api: RawApi) -> None:
    assert (await api.get("GETME"))[1]["result"]["id"] == BOT_ID


async def test_missing_required_fields_use_telegrams_wording(api: RawApi, lan: EmulatedUser) -> None:
    assert (await api.call("sendMessage", chat_id=lan.id))[1][
        "description"
    ] == "Bad Request: message text is empty"
    assert (await api.call("sendMessage", text="x"))[1]["description"] == "Bad Request: chat_id is empty"
    assert (await api.call("getChat"))[1]["description"] == "Bad Request: chat_id is empty"
    assert (await api.call("deleteMessage", chat_id=lan.id))[1]["description"] == (
        "Bad Request: message identifier is not specified"
    )
    assert (await api.call("setMyCommands"))[1]["description"] == "Bad Request: commands is empty"


@pytest.mark.parametrize(
    ("method", "params", "description"),
    [
        (
            "deleteMessage",
            {"chat_id": 1001, "message_id": "first"},
            'field "message_id" must be of type Integer',
        ),
        (
            "sendMessage",
            {"chat_id": 1001, "text": "x", "protect_content": "maybe"},
            'field "protect_content" must be of type Boolean',
        ),
        (
            "sendMessage",
            {"chat_id": 1001, "text": "x", "reply_markup": [1]},
            'field "reply_markup" must be of type InlineKeyboardMarkup or ReplyKeyboardMarkup or '
            "ReplyKeyboardRemove or ForceReply",
        ),
        (
            "setMyCommands",
            {"commands": {"command": "x"}},
            'field "commands" must be of type Array of BotCommand',
        ),
    ],
)
async def test_wrong_types_are_bad_requests(
    api: RawApi, lan: EmulatedUser, method: str, params: dict[str, Any], description: str
) -> None:
    status, body = await api.call(method, **params)
    assert (status, body["description"]) == (400, f"Bad Request: {description}")


async def test_string_values_are_converted_and_unknown_fields_ignored(api: RawApi, lan: EmulatedUser) -> None:
    result = await api.ok(
        "sendMessage", chat_id=str(lan.id), text=42, protect_content="true", flavour="vanilla"
    )
    assert result["text"] == "42" and result["has_protected_content"] is True


async def test_query_string_urlencoded_and_json_bodies_are_equivalent(api: RawApi, lan: EmulatedUser) -> None:
    by_query = await api.get("sendMessage", chat_id=str(lan.id), text="query")
    by_form = await api.form("sendMessage", {"chat_id": str(lan.id), "text": "form"})
    by_json = await api.call("sendMessage", chat_id=lan.id, text="json")
    assert [r[1]["result"]["text"] for r in (by_query, by_form, by_json)] == ["query", "form", "json"]
    assert [m.text for m in lan.messages] == ["query", "form", "json"]


async def test_invalid_json_body_is_a_bad_request(emulator: BotApiEmulator, api: RawApi) -> None:
    url = f"{emulator.base_url}{TOKEN}/getMe"
    async with api.session.post(url, data="[1,", headers={"Content-Type": "application/json"}) as response:
        assert response.status == 400
        assert (await response.json())["description"] == "Bad Request: can't parse JSON object"


async def test_other_spec_methods_are_validated_then_accepted(api: RawApi) -> None:
    assert await api.ok("setMyDescription", description="Sổ sức khỏe Cà Mau") is True
    status, body = await api.call("setChatTitle", chat_id=1)
    assert (status, body["description"]) == (400, "Bad Request: title is empty")


async def test_requests_are_counted_per_method(emulator: BotApiEmulator, api: RawApi) -> None:
    await api.ok("getMe")
    await api.call("sendMessage", chat_id=5, text="x")
    counters = emulator.counters[BOT_ID]
    assert counters.requests["getMe"] == 1 and counters.requests["sendMessage"] == 1


def test_bundled_spec_is_bot_api_10_1() -> None:
    spec = load_spec()
    assert spec.version.startswith("Bot API 10.1")
    assert {"getUpdates", "sendMessage", "setMyCommands"} <= set(spec.method_names)
