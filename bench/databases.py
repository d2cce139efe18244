"""Benchmark databases: a SQLite file or a PostgreSQL database `hb_bench_<name>`, and signed-in users."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import delete, func, insert, select

from bot.db.migrate import upgrade
from bot.db.models import Citizen, TelegramAccount
from bot.db.session import Database

DEFAULT_POSTGRES_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
BENCH_USER_ID_BASE = 7_000_000_000
"""Telegram user ids of simulated citizens start here (far from real ids in tests)."""
SESSION_YEARS = 10


def _consent_version() -> str:
    try:
        from bot.views.consent import NOTICE_VERSION
    except ImportError:  # the consent notice is not versioned in this checkout
        return "1"
    return str(NOTICE_VERSION)


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """One benchmark database; `kind` is "sqlite" or "postgresql"."""

    kind: str
    name: str
    url: str
    admin_url: str | None = None
    path: Path | None = None

    @classmethod
    def sqlite(cls, folder: Path, name: str) -> BenchDatabase:
        """A SQLite file `folder/name.sqlite3`."""
        path = folder / f"{name}.sqlite3"
        return cls("sqlite", name, f"sqlite+aiosqlite:///{path}", path=path)

    @classmethod
    def postgres(cls, admin_url: str, name: str) -> BenchDatabase:
        """The PostgreSQL database `hb_bench_<name>` on the server of `admin_url`."""
        database = f"hb_bench_{name}".replace("-", "_")
        return cls("postgresql", database, admin_url.rsplit("/", 1)[0] + "/" + database, admin_url)

    async def exists(self) -> bool:
        """True when the file or database is there."""
        if self.path is not None:
            return self.path.exists()
        assert self.admin_url is not None
        connection = await asyncpg.connect(_plain(self.admin_url))
        try:
            found = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", self.name)
        finally:
            await connection.close()
        return bool(found)

    async def create(self) -> None:
        """Create it empty (dropping any previous one) and migrate it."""
        await self.drop()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            assert self.admin_url is not None
            connection = await asyncpg.connect(_plain(self.admin_url))
            try:
                await connection.execute(f'CREATE DATABASE "{self.name}"')
            finally:
                await connection.close()
        await self.migrate()

    async def migrate(self) -> None:
        """Bring it to the current schema."""
        await upgrade(self.url)

    async def drop(self) -> None:
        """Remove the file or drop the database."""
        if self.path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{self.path}{suffix}").unlink()
            return
        assert self.admin_url is not None
        connection = await asyncpg.connect(_plain(self.admin_url))
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await connection.close()

    async def citizen_count(self) -> int:
        """How many citizens it holds (0 when it does not exist)."""
        if not await self.exists():
            return 0
        db = Database(self.url)
        try:
            async with db.unit_of_work() as session:
                return int(await session.scalar(select(func.count()).select_from(Citizen)) or 0)
        except Exception:  # not migrated, or another schema: treat as empty
            return 0
        finally:
            await db.dispose()


def _account(user_id: int, citizen_id: int, now: datetime, language: str) -> dict[str, object]:
    """A signed-in account: consent given, linked for years, chat id = user id (private chat)."""
    return {
        "telegram_user_id": user_id, "chat_id": user_id, "language": language,
        "telegram_language_code": language, "consent_version": _consent_version(),
        "consented_at": now, "citizen_id": citizen_id, "linked_at": now,
        "link_expires_at": now + timedelta(days=365 * SESSION_YEARS),
        "reminders_enabled": True, "notices_muted": False, "created_at": now,
    }


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def spread_citizen_ids(db: Database, count: int) -> list[int]:
    """`count` citizen ids spread evenly over the whole table (not the first rows)."""
    async with db.unit_of_work() as session:
        lowest, highest = (await session.execute(select(func.min(Citizen.id), func.max(Citizen.id)))).one()
        if lowest is None:
            raise ValueError("the database holds no citizens")
        chosen: list[int] = []
        step = (highest - lowest + 1) / count
        for position in range(count):
            target = lowest + int(position * step + step / 2)
            found = await session.scalar(
                select(Citizen.id).where(Citizen.id >= target).order_by(Citizen.id).limit(1)
            )
            if found is not None and found not in chosen:
                chosen.append(found)
    return chosen


async def sign_in_users(url: str, count: int, language: str = "vi") -> list[int]:
    """Link `count` simulated Telegram users to citizens spread over the table; returns user ids.

    Accounts are written directly (consent given, link valid for years), as a sign-in would
    leave them; earlier simulated accounts are removed first.
    """
    db = Database(url)
    try:
        citizen_ids = await spread_citizen_ids(db, count)
        now = datetime.now(UTC)
        user_ids = [BENCH_USER_ID_BASE + number for number in range(len(citizen_ids))]
        async with db.unit_of_work() as session:
            await session.execute(
                delete(TelegramAccount).where(TelegramAccount.telegram_user_id >= BENCH_USER_ID_BASE)
            )
            await session.execute(insert(TelegramAccount), [
                _account(user_id, citizen_id, now, language)
                for user_id, citizen_id in zip(user_ids, citizen_ids, strict=True)
            ])
        return user_ids
    finally:
        await db.dispose()


LINK_CHUNK = 10_000


async def link_first_citizens(url: str, count: int, language: str = "vi") -> list[int]:
    """Link the first `count` citizens to simulated users (broadcast recipients); returns user ids."""
    db = Database(url)
    try:
        async with db.unit_of_work() as session:
            citizen_ids = list(await session.scalars(select(Citizen.id).order_by(Citizen.id).limit(count)))
            await session.execute(
                delete(TelegramAccount).where(TelegramAccount.telegram_user_id >= BENCH_USER_ID_BASE)
            )
        now = datetime.now(UTC)
        user_ids = [BENCH_USER_ID_BASE + number for number in range(len(citizen_ids))]
        for start in range(0, len(citizen_ids), LINK_CHUNK):
            async with db.unit_of_work() as session:
                await session.execute(insert(TelegramAccount), [
                    _account(user_id, citizen_id, now, language)
                    for user_id, citizen_id in zip(user_ids[start:start + LINK_CHUNK],
                                                   citizen_ids[start:start + LINK_CHUNK], strict=True)
                ])
        return user_ids
    finally:
        await db.dispose()
