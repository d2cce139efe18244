"""A sender wired to the Bot API emulator, and linked citizens with chats there."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, insert, select

from bot.broadcast.sender import BroadcastSender, ProgressRenderer
from bot.broadcast.sender_config import SenderConfig
from bot.broadcast.telegram_transport import TelegramTransport, make_bot
from bot.clock import Clock
from bot.db.models import BroadcastDelivery, Citizen, TelegramAccount
from bot.db.session import Database
from bot.emulator import BotApiEmulator
from tests.broadcast.support import NOW
from tests.e2e_support import TEST_TOKEN, make_test_settings
from tests.factories import cccd_for


async def many_linked(
    db: Database, emulator: BotApiEmulator, first_user_id: int, count: int, **account: Any
) -> list[int]:
    """`count` linked, consenting citizens whose private chats exist in the emulator."""
    emulator.register_bot(TEST_TOKEN)
    user_ids = list(range(first_user_id, first_user_id + count))
    for user_id in user_ids:
        await emulator.user(user_id).send("/start")  # a bot can only write to users who started it
    citizens = [
        {
            "source_key": f"bulk:{user_id}",
            "full_name": f"Người {user_id}",
            "sex": "female",
            "national_id": cccd_for(NOW.date().replace(year=1980), serial=user_id),
            "district": "Cái Nước",
        }
        for user_id in user_ids
    ]
    async with db.unit_of_work() as session:
        ids = list(await session.scalars(insert(Citizen).returning(Citizen.id), citizens))
        await session.execute(
            insert(TelegramAccount),
            [
                {
                    "telegram_user_id": user_id,
                    "chat_id": user_id,
                    "citizen_id": citizen_id,
                    "language": "vi",
                    "consented_at": NOW,
                    "consent_version": "1",
                    "linked_at": NOW,
                    "reminders_enabled": True,
                    "notices_muted": False,
                    "created_at": NOW,
                    **account,
                }
                for user_id, citizen_id in zip(user_ids, ids, strict=True)
            ],
        )
    return user_ids


@asynccontextmanager
async def emulated_sender(
    db: Database,
    emulator: BotApiEmulator,
    clock: Clock,
    config: SenderConfig,
    worker_id: str = "test-worker",
    render_progress: ProgressRenderer | None = None,
) -> AsyncIterator[BroadcastSender]:
    """A sender talking HTTP to the emulator through python-telegram-bot, with its own engine."""
    emulator.register_bot(TEST_TOKEN)
    settings = make_test_settings(db.url, emulator.base_url)
    bot = make_bot(TEST_TOKEN, settings, config.concurrency)
    await bot.initialize()
    database = Database(db.url)
    try:
        yield BroadcastSender(
            database,
            TelegramTransport(bot),
            clock=clock,
            config=config,
            worker_id=worker_id,
            render_progress=render_progress,
        )
    finally:
        await bot.shutdown()
        await database.dispose()


async def delivery_statuses(db: Database) -> dict[str, int]:
    """How many deliveries are in each status."""
    async with db.unit_of_work() as session:
        rows = await session.execute(
            select(BroadcastDelivery.status, func.count()).group_by(BroadcastDelivery.status)
        )
        return dict(rows.all())


def received(emulator: BotApiEmulator) -> Counter[int]:
    """Messages the emulator delivered, per chat."""
    return Counter(message.chat_id for message in emulator.sent_messages())
