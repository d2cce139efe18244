"""sendDocument (multipart upload and file_id), getFile and downloads under base_file_url."""

from __future__ import annotations

import aiohttp
from telegram import Bot

from bot.emulator import BotApiEmulator, EmulatedUser
from tests.emulator.conftest import TOKEN, RawApi

PDF = b"%PDF-1.4\n" + "Kết quả xét nghiệm".encode() + b"\n%%EOF\n"


def upload(chat_id: int, **fields: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat_id))
    for name, value in fields.items():
        form.add_field(name, value)
    form.add_field("document", PDF, filename="ket-qua.pdf", content_type="application/pdf")
    return form


async def test_multipart_upload_round_trip(emulator: BotApiEmulator, api: RawApi, lan: EmulatedUser) -> None:
    markup = '{"inline_keyboard": [[{"text": "Xem", "callback_data": "view"}]]}'
    status, body = await api.form(
        "sendDocument",
        upload(
            lan.id,
            caption="<b>Kết quả</b> xét nghiệm",
            parse_mode="HTML",
            protect_content="true",
            reply_markup=markup,
        ),
    )
    assert status == 200, body
    result = body["result"]
    assert result["document"]["file_name"] == "ket-qua.pdf"
    assert result["document"]["mime_type"] == "application/pdf"
    assert result["document"]["file_size"] == len(PDF)
    assert result["caption"] == "Kết quả xét nghiệm"
    assert result["caption_entities"] == [{"type": "bold", "offset": 0, "length": 7}]
    assert (
        result["has_protected_content"] is True
        and result["reply_markup"]["inline_keyboard"][0][0]["text"] == "Xem"
    )
    message = lan.last_message
    assert message is not None and message.document is not None and message.document.content == PDF
    file = await api.ok("getFile", file_id=result["document"]["file_id"])
    assert file["file_size"] == len(PDF) and file["file_path"].endswith(".pdf")
    async with api.session.get(f"{emulator.base_file_url}{TOKEN}/{file['file_path']}") as response:
        assert response.status == 200 and await response.read() == PDF
        assert response.headers["Content-Type"] == "application/pdf"


async def test_resend_by_file_id_and_errors(api: RawApi, lan: EmulatedUser) -> None:
    _, body = await api.form("sendDocument", upload(lan.id))
    file_id = body["result"]["document"]["file_id"]
    again = await api.ok("sendDocument", chat_id=lan.id, document=file_id)
    assert again["document"]["file_id"] == file_id and "caption" not in again
    status, body = await api.call("sendDocument", chat_id=lan.id, document="no-such-file")
    assert (status, body["description"]) == (400, "Bad Request: wrong file identifier/HTTP URL specified")
    status, body = await api.call("sendDocument", chat_id=lan.id)
    assert (status, body["description"]) == (400, "Bad Request: there is no document in the request")
    status, body = await api.call("sendDocument", chat_id=lan.id, document=file_id, caption="ư" * 1025)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")
    status, body = await api.call("getFile", file_id="no-such-file")
    assert (status, body["description"]) == (
        400,
        "Bad Request: wrong file_id or the file is temporarily unavailable",
    )
    status, body = await api.call("editMessageText", chat_id=lan.id, message_id=again["message_id"], text="x")
    assert body["description"] == "Bad Request: there is no text in the message to edit"


async def test_download_of_unknown_path_is_not_found(emulator: BotApiEmulator, api: RawApi) -> None:
    async with api.session.get(f"{emulator.base_file_url}{TOKEN}/documents/missing.pdf") as response:
        assert response.status == 404
    async with api.session.get(f"{emulator.base_file_url}1:bad/documents/missing.pdf") as response:
        assert response.status == 401


async def test_python_telegram_bot_uploads_and_downloads(ptb_bot: Bot, lan: EmulatedUser) -> None:
    sent = await ptb_bot.send_document(lan.id, PDF, filename="ket-qua.pdf", caption="Kết quả")
    assert sent.document is not None and sent.document.file_name == "ket-qua.pdf"
    assert lan.last_message is not None and lan.last_message.document is not None
    assert lan.last_message.document.content == PDF
    file = await sent.document.get_file()
    assert bytes(await file.download_as_bytearray()) == PDF


async def test_bot_downloads_a_document_the_user_sent(ptb_bot: Bot, lan: EmulatedUser) -> None:
    await lan.send_document("don-thuoc.txt", b"Paracetamol 500mg", "text/plain", caption="Đơn thuốc")
    updates = await ptb_bot.get_updates()
    message = updates[-1].message
    assert message is not None and message.document is not None and message.caption == "Đơn thuốc"
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"Paracetamol 500mg"
