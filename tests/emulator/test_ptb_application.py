"""A real python-telegram-bot Application against the emulator, by polling and by webhook, unpatched."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator import BotApiEmulator, EmulatedUser
from tests.emulator.conftest import TOKEN, RawApi

pytestmark = pytest.mark.e2e
PtbApplication = Application[Any, Any, Any, Any, Any, Any]
MENU = InlineKeyboardMarkup([[InlineKeyboardButton("Hồ sơ", callback_data="record")]])
BACK = InlineKeyboardMarkup([[InlineKeyboardButton("Quay lại", callback_data="back")]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with a protected message and an inline menu."""
    assert update.message is not None and update.effective_user is not None
    name = update.effective_user.first_name
    await update.message.reply_html(f"<b>Xin chào</b> {name}", reply_markup=MENU, protect_content=True)


async def open_record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and turn the menu message into the record, in place."""
    query = update.callback_query
    assert query is not None
    await query.answer("Đang mở")
    await query.edit_message_text("<b>Hồ sơ</b>\nNhóm máu: O", parse_mode=ParseMode.HTML, reply_markup=BACK)


async def ask_phone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for the phone number with a request_contact keyboard."""
    assert update.message is not None
    button = KeyboardButton("Chia sẻ số điện thoại", request_contact=True)
    await update.message.reply_text(
        "Số điện thoại?", reply_markup=ReplyKeyboardMarkup([[button]], one_time_keyboard=True)
    )


async def receive_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Accept only the sender's own contact and delete the message holding the number."""
    message = update.message
    assert message is not None and message.contact is not None and message.from_user is not None
    own = message.contact.user_id == message.from_user.id and message.forward_origin is None
    await message.delete()
    await message.reply_text("own" if own else "not own", reply_markup=ReplyKeyboardRemove())


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the text."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def build_application(emulator: BotApiEmulator) -> PtbApplication:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("phone", ask_phone))
    application.add_handler(CallbackQueryHandler(open_record, pattern="^record$"))
    application.add_handler(MessageHandler(filters.CONTACT, receive_contact))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


@pytest.fixture
async def polling_app(emulator: BotApiEmulator) -> AsyncIterator[PtbApplication]:
    application = build_application(emulator)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_polling_conversation(polling_app: PtbApplication, emulator: BotApiEmulator) -> None:
    lan = emulator.user(1001, first_name="Lan")
    await lan.send("/start")
    [greeting] = await lan.wait_for_messages(1)
    assert greeting.text == "Xin chào Lan" and greeting.html == "<b>Xin chào</b> Lan"
    assert greeting.protect_content and [b.text for b in greeting.inline_buttons] == ["Hồ sơ"]

    query = await lan.press("Hồ sơ")
    assert (await lan.wait_for_answer(query)).text == "Đang mở"
    record = await lan.wait_for_edit(greeting.message_id)
    assert record.message_id == greeting.message_id and record.text == "Hồ sơ\nNhóm máu: O"
    assert [b.callback_data for b in record.inline_buttons] == ["back"]
    assert record.entities == ({"type": "bold", "offset": 0, "length": 5},)

    await lan.send("Cảm ơn 🙏")
    assert [m.text for m in await lan.wait_for_messages(1)] == ["Cảm ơn 🙏"]


async def test_contact_flow_deletes_the_number(polling_app: PtbApplication, emulator: BotApiEmulator) -> None:
    hoa = emulator.user(1002, first_name="Hoa")
    await hoa.send("/phone")
    await hoa.wait_for_messages(1)
    assert hoa.reply_keyboard is not None and hoa.reply_keyboard.keyboard_rows[0][0].request_contact
    shared = await hoa.share_contact("84912345678")
    [answer] = await hoa.wait_for_messages(1)
    assert answer.text == "own" and hoa.deleted_user_messages == [shared.message_id]
    assert hoa.reply_keyboard is None
    await hoa.share_contact("84987654321", own=False)
    assert [m.text for m in await hoa.wait_for_messages(1)] == ["not own"]


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_with_secret_token(emulator: BotApiEmulator, api: RawApi, free_port: int) -> None:
    application = build_application(emulator)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    webhook_url = f"http://127.0.0.1:{free_port}/hook"
    await application.updater.start_webhook(
        listen="127.0.0.1",
        port=free_port,
        url_path="hook",
        webhook_url=webhook_url,
        secret_token="healthbot-secret",
    )
    try:
        minh = emulator.user(1003, first_name="Minh")
        await minh.send("/start")
        assert (await minh.wait_for_messages(1))[0].text == "Xin chào Minh"
        await api.ok("setWebhook", url=webhook_url, secret_token="wrong-secret")
        await minh.send("bị từ chối")
        webhook = emulator.bot().webhook
        assert webhook is not None
        assert await emulator.world.changes.wait_until(lambda: webhook.last_error_message is not None, 3)
        info = await api.ok("getWebhookInfo")
        # Telegram reports the status line of the answer; PTB's webhook server explains the 403 itself.
        assert (
            info["last_error_message"]
            == "Wrong response from the webhook: 403 Request had the wrong secret token"
        )
        assert info["pending_update_count"] == 1
        await api.ok("setWebhook", url=webhook_url, secret_token="healthbot-secret")
        assert [m.text for m in await minh.wait_for_messages(1)] == ["bị từ chối"]
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def test_ptb_raises_its_errors_from_emulator_answers(
    emulator: BotApiEmulator, ptb_bot: Bot, lan: EmulatedUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    with pytest.raises(BadRequest, match="^Chat not found$"):
        await ptb_bot.send_message(424242, "x")
    with pytest.raises(
        BadRequest, match='^Can\'t parse entities: unsupported start tag "br" at byte offset 1$'
    ):
        await ptb_bot.send_message(lan.id, "a<br>", parse_mode=ParseMode.HTML)
    sent = await ptb_bot.send_message(lan.id, "x")
    with pytest.raises(BadRequest, match="^Message is not modified"):
        await ptb_bot.edit_message_text("x", chat_id=lan.id, message_id=sent.message_id)
    emulator.faults.force_retry_after(1, retry_after=3, chat_id=lan.id)
    with pytest.raises(RetryAfter) as retry:
        await ptb_bot.send_message(lan.id, "x")
    assert retry.value.retry_after == timedelta(seconds=3)
    emulator.faults.force_server_error(1, status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await ptb_bot.send_message(lan.id, "x")
    await lan.block()
    with pytest.raises(Forbidden, match="^Forbidden: bot was blocked by the user$"):
        await ptb_bot.send_message(lan.id, "x")


async def test_ptb_sees_invalid_tokens_and_conflicts(emulator: BotApiEmulator, ptb_bot: Bot) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456:" + "B" * 35, base_url=emulator.base_url):
            pass
    first = asyncio.create_task(ptb_bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(TOKEN, base_url=emulator.base_url) as second_instance:
        second = asyncio.create_task(second_instance.get_updates(timeout=1))
        with pytest.raises(Conflict, match="^Conflict: terminated by other getUpdates request"):
            await first
        assert await second == ()
