"""/logout, /accesslog, /deletemydata in the chat, and `healthbot audit` for staff."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from bot.audit.log import Action, ActorKind, Outcome, record
from bot.db.models import AuditEntry, ConversationState, TelegramAccount
from bot.db.session import Database
from bot.views.account import CONFIRM_ERASURE, KEEP_DATA
from tests.databases import empty_all_tables
from tests.e2e.signin_steps import agree, citizen, say, sign_in, tap
from tests.e2e_support import RunningBot
from tests.factories import cccd_for, make_citizen

pytestmark = pytest.mark.e2e


async def _audit_actions(bot: RunningBot, telegram_user_id: int) -> list[str]:
    async with bot.db.unit_of_work() as session:
        rows = await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.actor_telegram_id == telegram_user_id)
            .order_by(AuditEntry.id)
        )
        return list(rows)


async def test_logout_ends_the_link(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000401, language_code="en")
    await agree(running_bot, user)
    await sign_in(running_bot, user, person)
    [out] = await say(running_bot, user, "/logout")
    assert "signed out" in out.text
    [asked] = await say(running_bot, user, "/accesslog")
    assert "Please sign in" in asked.text and asked.inline_buttons[0].callback_data == "login"
    [again] = await say(running_bot, user, "/logout")
    assert "not signed in" in again.text
    assert Action.SIGN_OUT in await _audit_actions(running_bot, user.id)
    [welcome] = await say(running_bot, user, "/start")
    assert welcome.inline_buttons[0].callback_data == "login"


async def test_the_sign_in_button_of_the_menu_starts_a_login(running_bot: RunningBot) -> None:
    user = running_bot.user(700000402, language_code="en")
    await agree(running_bot, user)
    [asked] = await tap(running_bot, user, "login")
    assert "step 1 of 3" in asked.text


async def test_access_log_shows_who_looked_with_masked_accounts(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000403, language_code="en")
    [asked] = await say(running_bot, user, "/accesslog")
    assert "Privacy notice" in asked.text
    await agree(running_bot, user)
    [asked] = await say(running_bot, user, "/accesslog")
    assert "Please sign in" in asked.text
    await sign_in(running_bot, user, person)
    async with running_bot.db.unit_of_work() as session:
        for section, actor in (("visits", 555123456), ("labs", user.id), ("insurance", None)):
            await record(
                session,
                actor_kind=ActorKind.TELEGRAM_USER if actor else ActorKind.STAFF,
                action=Action.VIEW,
                actor_telegram_id=actor,
                subject_citizen_id=person.citizen_id,
                section=section,
                outcome=Outcome.SUCCESS,
                at=running_bot.clock.now(),
            )
    [log] = await say(running_bot, user, "/accesslog")
    assert log.protect_content
    assert "Visits" in log.text and "Test results" in log.text and "Health insurance" in log.text
    assert "•••••3456" in log.text and "555123456" not in log.text
    assert str(user.id) not in log.text and "(this one)" in log.text
    assert "health staff" in log.text
    [log_again] = await say(running_bot, user, "/accesslog")
    assert "Access log" in log_again.text, "looking at the log is itself logged"


async def test_deletemydata_asks_first_then_erases_and_says_what_is_kept(running_bot: RunningBot) -> None:
    person = await citizen(running_bot)
    user = running_bot.user(700000404, language_code="en")
    await agree(running_bot, user)
    await sign_in(running_bot, user, person)
    [confirm] = await say(running_bot, user, "/deletemydata")
    assert [b.callback_data for b in confirm.inline_buttons] == [CONFIRM_ERASURE, KEEP_DATA]
    assert "access log" in confirm.text
    await tap(running_bot, user, KEEP_DATA, replies=0)
    kept = await user.wait_for_edit(confirm.message_id)
    assert "Nothing was deleted" in kept.text
    assert await _linked(running_bot, user.id)
    [confirm] = await say(running_bot, user, "/deletemydata")
    await tap(running_bot, user, CONFIRM_ERASURE, replies=0)
    erased = await user.wait_for_edit(confirm.message_id)
    assert "Done" in erased.text and "access log" in erased.text and "Decree 356/2025" in erased.text
    assert not await _linked(running_bot, user.id)
    async with running_bot.db.unit_of_work() as session:
        assert await session.get(TelegramAccount, user.id) is None
        assert await session.scalar(select(func.count()).select_from(ConversationState)) == 0
    actions = await _audit_actions(running_bot, user.id)
    assert actions[0] == Action.CONSENT_GIVEN and actions[-1] == Action.CONSENT_WITHDRAWN
    assert f"holds {len(actions)} entries" in erased.text
    [notice] = await say(running_bot, user, "/accesslog")
    assert "Privacy notice" in notice.text, "consent is withdrawn: the gate is back"


async def test_the_erasure_button_of_the_privacy_notice_asks_to_confirm(running_bot: RunningBot) -> None:
    user = running_bot.user(700000405, language_code="en")
    await agree(running_bot, user)
    await say(running_bot, user, "/privacy")
    [confirm] = await tap(running_bot, user, "erase:ask")
    assert [b.callback_data for b in confirm.inline_buttons] == [CONFIRM_ERASURE, KEEP_DATA]


async def _linked(bot: RunningBot, telegram_user_id: int) -> bool:
    async with bot.db.unit_of_work() as session:
        account = await session.get(TelegramAccount, telegram_user_id)
        return account is not None and account.citizen_id is not None


# ----- healthbot audit --citizen CCCD ---------------------------------------------------------


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """The command sets up the root logger for a process; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def _seed_trail(database_url: str) -> str:
    """A citizen with a sign-in, a view and a sign-out in the log; returns their CCCD."""
    database = Database(database_url)
    try:
        if database.dialect == "postgresql":
            await empty_all_tables(database)
        async with database.unit_of_work() as session:
            person = await make_citizen(session, full_name="Lê Văn Tám")
            moment = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
            steps = ((Action.SIGN_IN, None), (Action.VIEW, "visits"), (Action.SIGN_OUT, None))
            for action, section in steps:
                await record(
                    session,
                    actor_kind=ActorKind.TELEGRAM_USER,
                    action=action,
                    actor_telegram_id=700000499,
                    actor_citizen_id=person.id,
                    subject_citizen_id=person.id,
                    section=section,
                    outcome=Outcome.SUCCESS,
                    at=moment,
                )
            assert person.national_id is not None
            return person.national_id
    finally:
        await database.dispose()


def test_audit_prints_the_full_trail_of_a_citizen(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_logging: None,
) -> None:
    national_id = asyncio.run(_seed_trail(database_url))
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["audit", "--citizen", national_id]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Lê Văn Tám" in out[0] and "3 entries" in out[0] and national_id not in out[0]
    assert out[1].split()[:4] == ["when", "action", "outcome", "section"]
    assert [line.split()[2] for line in out[2:]] == ["sign_in", "view", "sign_out"]
    assert out[2].startswith("2026-11-26 09:00:00"), "local time of the configured zone"
    assert "visits" in out[3] and "700000499" in out[3]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (cccd_for(date(1970, 1, 1), serial=424_242), "no citizen with CCCD ••••••••4242"),
        ("381234567", "not a valid CCCD: That is the 9-digit number of an old identity card"),
        ("12345", "not a valid CCCD: A citizen ID has exactly 12 digits"),
    ],
)
def test_audit_refuses_an_unknown_or_malformed_cccd(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_logging: None,
    given: str,
    expected: str,
) -> None:
    asyncio.run(_seed_trail(database_url))
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["audit", "--citizen", given]) == 1
    captured = capsys.readouterr()
    assert expected in captured.err and captured.out == ""
