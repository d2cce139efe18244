"""The sender's Bot API client: error classification and staff menus, against the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.broadcast.telegram_transport import TelegramTransport, classify, make_bot
from bot.broadcast.transport import ResultKind
from bot.db.session import Database
from bot.emulator import BotApiEmulator
from bot.i18n import Catalogs
from bot.staff import members
from bot.staff.menus import sync_staff_menus
from bot.staff.roles import Role
from bot.views.staff import chat_commands
from tests.broadcast.support import NOW
from tests.databases import SqliteTemplate
from tests.e2e_support import TEST_TOKEN, make_test_settings


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), ResultKind.BLOCKED),
        (BadRequest("Chat not found"), ResultKind.CHAT_NOT_FOUND),
        (BadRequest("Can't parse entities: unsupported start tag"), ResultKind.PERMANENT),
        (TimedOut(), ResultKind.TRANSIENT),
        (NetworkError("Bad Gateway"), ResultKind.TRANSIENT),
        (InvalidToken("Unauthorized"), ResultKind.TRANSIENT),
        (ChatMigrated(-100123), ResultKind.PERMANENT),
    ],
)
def test_errors_are_classified_for_delivery(error: Exception, kind: ResultKind) -> None:
    assert classify(error).kind is kind  # type: ignore[arg-type]


def test_retry_after_is_read_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    result = classify(RetryAfter(7))
    assert (result.kind, result.retry_after) == (ResultKind.RATE_LIMITED, 7.0)


async def test_staff_get_a_private_menu_and_lose_it_when_revoked(
    tmp_path: Path, sqlite_template: SqliteTemplate
) -> None:
    catalogs = Catalogs()
    database = Database(sqlite_template.copy_to(tmp_path / "menus.sqlite3"))
    async with BotApiEmulator() as emulator:
        emulator.register_bot(TEST_TOKEN)
        staff_user, citizen = (
            emulator.user(4001, language_code="en"),
            emulator.user(4002, language_code="en"),
        )
        for user in (staff_user, citizen):
            await user.send("/start")
        bot = make_bot(TEST_TOKEN, make_test_settings(database.url, emulator.base_url), 4)
        await bot.initialize()
        await bot.set_my_commands([("start", "Start")])
        transport = TelegramTransport(bot)
        try:
            async with database.unit_of_work() as session:
                invitation = await members.invite(session, name="Hoa", role=Role.ADMIN, now=NOW)
                await members.bind(
                    session, code=invitation.code, telegram_user_id=4001, chat_id=4001, now=NOW
                )

            def commands_for(staff: members.StaffView, locale: str) -> list[tuple[str, str]]:
                return list(chat_commands(catalogs.get(locale), staff))

            assert await sync_staff_menus(database, transport, commands_for) == 1
            assert {"notice", "alert", "alerts", "stats"} <= {
                c["command"] for c in staff_user.visible_commands()
            }
            assert [c["command"] for c in citizen.visible_commands()] == ["start"]
            assert await sync_staff_menus(database, transport, commands_for) == 0, (
                "nothing left to do"
            )
            async with database.unit_of_work() as session:
                await members.revoke(session, invitation.staff.id, now=NOW)
            assert await sync_staff_menus(database, transport, commands_for) == 1
            assert [c["command"] for c in staff_user.visible_commands()] == ["start"]
        finally:
            await bot.shutdown()
            await database.dispose()
