"""Column reads on the session's connection see what the unit of work added before them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select

from bot.audit.log import AUDIT_TABLE, ActorKind, add_at_commit
from bot.db.models import TelegramAccount
from bot.db.reads import read_rows
from bot.db.session import Database

AT = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
ACCOUNTS = select(func.count()).select_from(TelegramAccount)
AUDIT_ROWS = select(func.count()).select_from(AUDIT_TABLE)


def _account(user_id: int) -> TelegramAccount:
    return TelegramAccount(telegram_user_id=user_id, chat_id=user_id, created_at=AT,
                           reminders_enabled=True, notices_muted=False)


async def test_a_read_sees_objects_and_queued_rows_added_before_it(db: Database) -> None:
    async with db.unit_of_work() as session:
        session.add(_account(41))
        add_at_commit(session, actor_kind=ActorKind.TELEGRAM_USER, action="view",
                      actor_telegram_id=41, subject_citizen_id=None, section="record", at=AT)
        assert (await read_rows(session, ACCOUNTS)).scalar_one() == 1
        assert (await read_rows(session, AUDIT_ROWS)).scalar_one() == 1


async def test_inside_no_autoflush_nothing_is_flushed_and_a_rollback_leaves_nothing(db: Database) -> None:
    async with db.sessions() as session:
        session.add(_account(42))
        with session.no_autoflush:
            assert (await read_rows(session, ACCOUNTS)).scalar_one() == 0
        assert session.new, "still pending"
        await session.rollback()
    async with db.sessions() as session:
        assert (await read_rows(session, ACCOUNTS)).scalar_one() == 0


async def test_a_read_takes_bound_values(db: Database) -> None:
    async with db.unit_of_work() as session:
        session.add(_account(43))
    query = select(TelegramAccount.chat_id).where(TelegramAccount.telegram_user_id == bindparam("user"))
    async with db.sessions() as session:
        assert (await read_rows(session, query, {"user": 43})).scalar_one() == 43
        assert (await read_rows(session, query, {"user": 44})).first() is None
