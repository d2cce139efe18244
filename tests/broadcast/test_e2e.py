"""Staff notices and alerts end to end: the real Application, its sender and the emulator."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import select

from bot.db.models import AlertResponse, Citizen, TelegramAccount
from bot.emulator.driver import EmulatedUser
from bot.staff import members
from bot.staff.roles import Role
from tests.broadcast.conftest import BroadcastBot
from tests.broadcast.support import NOW, linked_citizen
from tests.factories import make_account, make_citizen

pytestmark = pytest.mark.e2e
HUMAN_PAUSE = (
    1.5  # seconds a person takes per step; Telegram allows about one message per chat per second
)


def think(bot: BroadcastBot) -> None:
    """Let emulated time pass as a person reads and types, so per-chat flood limits behave as in real use."""
    bot.emulator.clock.advance(HUMAN_PAUSE)


async def say(bot: BroadcastBot, user: EmulatedUser, text: str, replies: int = 1) -> list[Any]:
    """Type a message after a human pause and wait for the replies."""
    think(bot)
    return await bot.ask(user, text, replies=replies)


async def press(bot: BroadcastBot, user: EmulatedUser, label: str, message: Any = None) -> None:
    """Press a button after a human pause."""
    think(bot)
    await user.press(label, message)


async def _invite(bot: BroadcastBot, role: Role) -> str:
    async with bot.db.unit_of_work() as session:
        invitation = await members.invite(session, name="Nguyễn Văn Tâm", role=role, now=NOW)
    return invitation.code


async def _consented(bot: BroadcastBot, user_id: int, language: str = "en") -> EmulatedUser:
    """A user who agreed to the privacy notice (staff are users of the bot too)."""
    async with bot.db.unit_of_work() as session:
        await make_account(session, user_id, language=language)
    return bot.user(user_id, language_code=language)


async def _staff(bot: BroadcastBot, role: Role, user_id: int, language: str = "en") -> EmulatedUser:
    user = await _consented(bot, user_id, language)
    code = await _invite(bot, role)
    [welcome] = await say(bot, user, f"/staff {code}")
    assert "Nguyễn Văn Tâm" in (welcome.text or "")
    return user


async def _citizen(
    bot: BroadcastBot, user_id: int, language: str, **account: object
) -> EmulatedUser:
    user = bot.user(user_id, language_code=language)
    await user.send("/start")
    await user.wait_for_messages(1)
    async with bot.db.unit_of_work() as session:
        account_row = await session.get(TelegramAccount, user_id)
        if account_row is not None:
            await session.delete(account_row)
            await session.flush()
        await linked_citizen(session, user_id, account={"language": language, **account})
    return user


async def test_staff_commands_are_invisible_and_refused_like_unknown_commands(
    broadcast_bot: BroadcastBot,
) -> None:
    citizen = await _consented(broadcast_bot, 3001)
    [unknown] = await broadcast_bot.ask(citizen, "/frobnicate")
    assert "privacy" not in (unknown.text or "").lower(), (
        "a consented user gets the ordinary answer"
    )
    for command in ("/notice", "/alert", "/alerts", "/stats", "/staff WRONG-CODE-1234", "/staff"):
        [answer] = await say(broadcast_bot, citizen, command)
        assert answer.text == unknown.text, command
        assert [b.callback_data for b in answer.inline_buttons] == [
            b.callback_data for b in unknown.inline_buttons
        ]
    notifier = await _staff(broadcast_bot, Role.NOTIFIER, 3002)
    staff_menu = [command["command"] for command in notifier.visible_commands()]
    assert "notice" in staff_menu and "alert" not in staff_menu and "stats" not in staff_menu
    assert "notice" not in [command["command"] for command in citizen.visible_commands()]
    assert notifier.deleted_user_messages, "the message with the code is deleted"
    [refused] = await say(broadcast_bot, notifier, "/stats")
    assert refused.text == unknown.text


async def test_a_used_code_cannot_bind_a_second_account(broadcast_bot: BroadcastBot) -> None:
    code = await _invite(broadcast_bot, Role.ADMIN)
    first, second = await _consented(broadcast_bot, 3101), await _consented(broadcast_bot, 3102)
    [unknown] = await broadcast_bot.ask(second, "/frobnicate")
    await broadcast_bot.ask(first, f"/staff {code}")
    [answer] = await broadcast_bot.ask(second, f"/staff {code}")
    assert answer.text == unknown.text
    [stats] = await say(broadcast_bot, first, "/stats")
    assert "Statistics" in (stats.text or "")


async def test_a_code_is_not_used_before_the_privacy_notice_is_accepted(
    broadcast_bot: BroadcastBot,
) -> None:
    code = await _invite(broadcast_bot, Role.NOTIFIER)
    newcomer = broadcast_bot.user(3150, language_code="en")
    [notice] = await broadcast_bot.ask(newcomer, f"/staff {code}")
    [other] = await say(broadcast_bot, newcomer, "/frobnicate")
    assert notice.text == other.text, "answered by the consent gate like any other command"
    async with broadcast_bot.db.unit_of_work() as session:
        assert await members.active_staff(session, 3150) is None
    await _consented(broadcast_bot, 3150)
    [welcome] = await say(broadcast_bot, newcomer, f"/staff {code}")
    assert "registered as notifier" in (welcome.text or "")


async def test_a_notice_is_drafted_across_a_restart_and_reaches_each_citizen_in_their_language(
    broadcast_bot: BroadcastBot,
) -> None:
    khmer = await _citizen(broadcast_bot, 3201, "km")
    english = await _citizen(broadcast_bot, 3202, "en")
    muted = await _citizen(broadcast_bot, 3203, "vi", notices_muted=True)
    notifier = await _staff(broadcast_bot, Role.NOTIFIER, 3204)
    [templates] = await say(broadcast_bot, notifier, "/notice")
    assert "nf:t:dengue" in [b.callback_data for b in templates.inline_buttons]
    assert "nf:t:contact_alert" not in [b.callback_data for b in templates.inline_buttons]
    await press(broadcast_bot, notifier, "nf:t:dengue")
    [audience] = await notifier.wait_for_messages(1)
    await press(broadcast_bot, notifier, "nf:a:all", audience)
    [place_prompt] = await notifier.wait_for_messages(1)
    assert "Place or area" in (place_prompt.text or "")
    await broadcast_bot.restart()
    [phone_prompt] = await say(broadcast_bot, notifier, "Phường 5")
    assert "Phone number" in (phone_prompt.text or "")
    [bad_phone] = await say(broadcast_bot, notifier, "12345")
    assert "phone number" in (bad_phone.text or "").lower()
    preview, summary = await say(broadcast_bot, notifier, "0290 3831 234", replies=2)
    assert (preview.text or "").startswith("Preview — English") and "Dengue prevention" in (
        preview.text or ""
    )
    await press(broadcast_bot, notifier, "nf:pv:km", preview)
    in_khmer = await notifier.wait_for_edit(preview.message_id)
    assert "ជំងឺគ្រុនឈាម" in (in_khmer.text or "")
    assert "Recipients through the bot: 2" in (summary.text or "")
    assert "Muted general notices (not sent): 1" in (summary.text or "")
    await press(broadcast_bot, notifier, "nf:send", summary)
    [progress] = await notifier.wait_for_messages(1)
    [for_khmer] = await khmer.wait_for_messages(1, timeout=10)
    [for_english] = await english.wait_for_messages(1, timeout=10)
    assert "ជំងឺគ្រុនឈាម" in (for_khmer.text or "") and "Phường 5" in (for_khmer.text or "")
    assert (for_english.text or "").startswith("📢 Dengue prevention")
    report = await notifier.wait_for_edit(progress.message_id, timeout=10)
    assert "finished" in (report.text or "") and "Sent: 2" in (report.text or "")
    await say(
        broadcast_bot, muted, "/help"
    )  # the muted citizen's next message is the help, not the notice
    assert all(
        "Dengue" not in (m.text or "") and "Sốt xuất huyết" not in (m.text or "")
        for m in muted.messages
    )


async def test_a_contact_alert_from_a_csv_collects_answers_and_exports_them(
    broadcast_bot: BroadcastBot,
) -> None:
    contact = await _citizen(broadcast_bot, 3301, "en")
    async with broadcast_bot.db.unit_of_work() as session:
        reached = await session.get(TelegramAccount, 3301)
        assert reached is not None and reached.citizen_id is not None
        unlinked = await make_citizen(session, phones=["+84912000111"])
        reached_citizen = await session.get(Citizen, reached.citizen_id)
        assert reached_citizen is not None
        listed = [reached_citizen.national_id, unlinked.national_id]
    tracer = await _staff(broadcast_bot, Role.TRACER, 3302)
    await say(broadcast_bot, tracer, "/alert")
    await press(broadcast_bot, tracer, "nf:t:contact_alert")
    [upload_prompt] = await tracer.wait_for_messages(1)
    assert "CSV" in (upload_prompt.text or "")
    content = "cccd\n" + "\n".join(str(n) for n in listed) + "\nnot-a-number\n"
    think(broadcast_bot)
    await tracer.send_document("contacts.csv", content.encode(), "text/csv")
    report, disease_prompt = await tracer.wait_for_messages(2)
    assert "Read 2 CCCD numbers" in (report.text or "") and "line 4" in (report.text or "")
    await say(broadcast_bot, tracer, "Sởi")
    _, summary = await say(broadcast_bot, tracer, "115", replies=2)
    assert "Cannot be reached through the bot: 1" in (summary.text or "")
    await press(broadcast_bot, tracer, "nf:send", summary)
    await tracer.wait_for_messages(1)
    [alert] = await contact.wait_for_messages(1, timeout=10)
    assert [b.text for b in alert.inline_buttons] == [
        "✅ I acknowledge",
        "🤒 I have symptoms",
        "📞 Please call me",
    ]
    call_me = next(
        b.callback_data
        for b in alert.inline_buttons
        if b.callback_data and b.callback_data.endswith(":call")
    )
    await press(broadcast_bot, contact, call_me, alert)
    [ask_phone] = await contact.wait_for_messages(1)
    await press(broadcast_bot, contact, "📞 Yes, share my phone number", ask_phone)
    shared = await contact.wait_for_edit(ask_phone.message_id)
    assert "will call you" in (shared.text or "")
    async with broadcast_bot.db.unit_of_work() as session:
        response = await session.scalar(select(AlertResponse))
    assert response is not None and (response.answer, response.phone_shared) == ("call", True)
    [overview] = await say(broadcast_bot, tracer, "/alerts")
    assert "asked for a call: 1" in (overview.text or "") and "Phone numbers shared: 1" in (
        overview.text or ""
    )
    export_button = overview.inline_buttons[0].callback_data
    assert export_button is not None
    await press(broadcast_bot, tracer, export_button, overview)
    [document_message] = await tracer.wait_for_messages(1)
    assert document_message.document is not None and document_message.protect_content
    rows = list(csv.DictReader(io.StringIO(document_message.document.content.decode("utf-8-sig"))))
    by_category = {row["category"]: row for row in rows}
    assert (
        by_category["response"]["answer_or_reason"] == "call" and by_category["response"]["phone"]
    )
    assert by_category["unreachable"]["national_id"] == unlinked.national_id
    assert by_category["unreachable"]["phone"] == "+84912000111"
    assert by_category["unreachable"]["answer_or_reason"] == "not_linked"


async def test_citizens_switch_general_notices_off_and_on(broadcast_bot: BroadcastBot) -> None:
    citizen = await _citizen(broadcast_bot, 3401, "en")
    [off] = await say(broadcast_bot, citizen, "/notices off")
    assert "General notices are off" in (off.text or "")
    async with broadcast_bot.db.unit_of_work() as session:
        account = await session.get(TelegramAccount, 3401)
        assert account is not None and account.notices_muted
    [status] = await say(broadcast_bot, citizen, "/notices")
    assert "off" in (status.text or "")
    [on] = await say(broadcast_bot, citizen, "/notices on")
    assert "General notices are on" in (on.text or "")


async def test_an_urgent_free_text_notice_reaches_citizens_who_muted_notices(
    broadcast_bot: BroadcastBot,
) -> None:
    muted = await _citizen(broadcast_bot, 3501, "en", notices_muted=True)
    admin = await _staff(broadcast_bot, Role.ADMIN, 3502)
    await say(broadcast_bot, admin, "/notice")
    await press(broadcast_bot, admin, "nf:t:free")
    [audience] = await admin.wait_for_messages(1)
    await press(broadcast_bot, admin, "nf:a:all", audience)
    await admin.wait_for_messages(1)
    _, summary = await say(broadcast_bot, admin, "Nước máy bị cắt <từ 8h>.", replies=2)
    assert "Recipients through the bot: 0" in (summary.text or "")
    await press(broadcast_bot, admin, "nf:urgent", summary)
    _, urgent_summary = await admin.wait_for_messages(2)
    assert "Recipients through the bot: 1" in (urgent_summary.text or "")
    await press(broadcast_bot, admin, "nf:send", urgent_summary)
    [notice] = await muted.wait_for_messages(1, timeout=10)
    assert "URGENT" in (notice.text or "") and "Nước máy bị cắt <từ 8h>." in (notice.text or "")


async def test_a_scheduled_notice_waits_and_can_be_stopped(broadcast_bot: BroadcastBot) -> None:
    citizen = await _citizen(broadcast_bot, 3601, "en")
    notifier = await _staff(broadcast_bot, Role.NOTIFIER, 3602)
    await say(broadcast_bot, notifier, "/notice")
    await press(broadcast_bot, notifier, "nf:t:free")
    [audience] = await notifier.wait_for_messages(1)
    await press(broadcast_bot, notifier, "nf:a:all", audience)
    await notifier.wait_for_messages(1)
    _, summary = await say(broadcast_bot, notifier, "Khám sức khỏe miễn phí.", replies=2)
    await press(broadcast_bot, notifier, "nf:sched", summary)
    await notifier.wait_for_messages(1)
    [past] = await say(broadcast_bot, notifier, "01/01/2020 08:00")
    assert "has passed" in (past.text or "")
    _, scheduled = await say(broadcast_bot, notifier, "27/11/2026 07:30", replies=2)
    assert "Scheduled for Nov 27, 2026" in (scheduled.text or "")
    await press(broadcast_bot, notifier, "nf:send", scheduled)
    [progress] = await notifier.wait_for_messages(1)
    assert "scheduled" in (progress.text or "") and "Starts at" in (progress.text or "")
    stop = progress.inline_buttons[0].callback_data
    assert stop is not None and stop.startswith("bc:x:")
    think(broadcast_bot)
    query = await notifier.press(stop, progress)
    answer = await notifier.wait_for_answer(query)
    assert "Stopped" in (answer.text or "")
    report = await notifier.wait_for_edit(progress.message_id, timeout=10)
    assert "cancelled" in (report.text or "")
    assert all("Khám sức khỏe" not in (m.text or "") for m in citizen.messages)


async def test_a_place_alert_to_a_district_asks_again_for_an_end_before_the_start(
    broadcast_bot: BroadcastBot,
) -> None:
    inside = await _citizen(broadcast_bot, 3701, "bn")
    outside = await _citizen(broadcast_bot, 3702, "en")
    async with broadcast_bot.db.unit_of_work() as session:
        for user_id, district in ((3701, "Huyện Năm Căn"), (3702, "Huyện Cái Nước")):
            account = await session.get(TelegramAccount, user_id)
            assert account is not None and account.citizen_id is not None
            citizen = await session.get(Citizen, account.citizen_id)
            assert citizen is not None
            citizen.district = district
    tracer = await _staff(broadcast_bot, Role.TRACER, 3703)
    await say(broadcast_bot, tracer, "/alert")
    await press(broadcast_bot, tracer, "nf:t:place_alert")
    [audience] = await tracer.wait_for_messages(1)
    assert [b.callback_data for b in audience.inline_buttons][:3] == [
        "nf:a:all",
        "nf:a:district",
        "nf:a:commune",
    ]
    await press(broadcast_bot, tracer, "nf:a:district", audience)
    [districts] = await tracer.wait_for_messages(1)
    labels = {b.text: b.callback_data for b in districts.inline_buttons}
    await press(broadcast_bot, tracer, labels["Huyện Năm Căn (1)"] or "", districts)
    await tracer.wait_for_messages(1)
    await say(broadcast_bot, tracer, "Chợ Năm Căn")
    await say(broadcast_bot, tracer, "20/11/2026 08:00")
    await say(broadcast_bot, tracer, "20/11/2026 07:00")
    await say(broadcast_bot, tracer, "Cúm A")
    refused, again = await say(broadcast_bot, tracer, "115", replies=2)
    assert "must come after the start" in (refused.text or "") and "Until" in (again.text or "")
    _, summary = await say(broadcast_bot, tracer, "20/11/2026 10:30", replies=2)
    assert "district Huyện Năm Căn" in (summary.text or "")
    assert "Recipients through the bot: 1" in (summary.text or "")
    await press(broadcast_bot, tracer, "nf:send", summary)
    await tracer.wait_for_messages(1)
    [alert] = await inside.wait_for_messages(1, timeout=10)
    assert "সম্ভাব্য সংস্পর্শ" in (alert.text or "") and "Chợ Năm Căn" in (alert.text or "")
    assert [b.text for b in alert.inline_buttons] == ["📍 আমি সেখানে ছিলাম", "🏠 আমি সেখানে ছিলাম না"]
    here = alert.inline_buttons[0].callback_data or ""
    await press(broadcast_bot, inside, here, alert)
    [ask_phone] = await inside.wait_for_messages(1)
    await press(broadcast_bot, inside, "না, শেয়ার করবেন না", ask_phone)
    declined = await inside.wait_for_edit(ask_phone.message_id)
    assert "শেয়ার করা হবে না" in (declined.text or "")
    assert outside.messages and all("Chợ Năm Căn" not in (m.text or "") for m in outside.messages)
