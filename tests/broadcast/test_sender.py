"""The sender against the Bot API emulator over HTTP: pacing, 429, 403, 5xx, several workers."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.broadcast import service
from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.sender import Buttons
from bot.broadcast.sender_config import SenderConfig
from bot.broadcast.service import Actor, Draft
from bot.broadcast.transport import OutgoingMessage
from bot.clock import FakeClock
from bot.db.models import Broadcast, BroadcastDelivery, TelegramAccount
from bot.db.session import Database
from bot.emulator import BotApiEmulator, FloodLimits
from bot.views.broadcast_progress import progress_message
from tests.broadcast.emulated import delivery_statuses, emulated_sender, many_linked, received
from tests.broadcast.support import CATALOGS, NOW, TODAY, dengue

PLACE_ALERT = Draft(
    template="place_alert",
    audience=Audience(AudienceKind.ALL),
    params={
        "place": "Chợ Cà Mau",
        "start": "2026-11-20T01:00:00+00:00",
        "end": "2026-11-20T03:00:00+00:00",
        "disease": "COVID-19",
        "phone": "115",
    },
)


async def _create(db: Database, draft: Draft, progress_chat: tuple[int, str] | None = None) -> int:
    async with db.unit_of_work() as session:
        broadcast_id, _ = await service.create(
            session,
            draft,
            Actor("cli"),
            now=NOW,
            today=TODAY,
            catalogs=CATALOGS,
            progress_chat=progress_chat,
        )
    return broadcast_id




def _busiest_second(emulator: BotApiEmulator) -> int:
    moments = sorted(message.date for message in emulator.sent_messages())
    busiest, start = 0, 0
    for end, moment in enumerate(moments):
        while moment - moments[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


async def test_a_broadcast_keeps_under_telegram_limits_at_the_configured_rate(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    users = await many_linked(sqlite_db, emulator, 10_000, 300)
    await _create(sqlite_db, dengue())
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=25)
    ) as sender:
        started = time.monotonic()
        assert await sender.drain() == 300
        elapsed = time.monotonic() - started
    assert emulator.bot().counters.too_many_requests == 0
    assert received(emulator) == Counter({user: 1 for user in users})
    assert _busiest_second(emulator) <= emulator.limits.global_per_second
    assert elapsed >= 299 / 25 - 0.1, "the rate is a ceiling, not a hint"
    assert await delivery_statuses(sqlite_db) == {"sent": 300}


async def test_a_429_pauses_the_sender_for_retry_after_and_nothing_is_lost(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    users = await many_linked(sqlite_db, emulator, 20_000, 6)
    await _create(sqlite_db, dengue())
    emulator.faults.force_retry_after(1, retry_after=2, chat_id=users[2])
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=25)
    ) as sender:
        started = time.monotonic()
        await sender.drain()
        elapsed = time.monotonic() - started
    assert emulator.bot().counters.too_many_requests == 1
    assert elapsed >= 2.0, "retry_after was not honoured"
    assert received(emulator) == Counter({user: 1 for user in users})
    async with sqlite_db.unit_of_work() as session:
        retried = await session.scalar(
            select(BroadcastDelivery).where(BroadcastDelivery.telegram_user_id == users[2])
        )
    assert retried is not None and retried.status == "sent" and retried.attempts == 1


async def test_blocked_and_vanished_chats_are_marked_unreachable(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    users = await many_linked(sqlite_db, emulator, 30_000, 4)
    await emulator.user(users[1]).block()
    del emulator.bot().chats[
        users[3]
    ]  # the user deleted their Telegram account (test-only state surgery)
    broadcast_id = await _create(sqlite_db, dengue())
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=50)
    ) as sender:
        await sender.drain()
    async with sqlite_db.unit_of_work() as session:
        rows = {d.telegram_user_id: d for d in await session.scalars(select(BroadcastDelivery))}
        blocked = await session.get(TelegramAccount, users[1])
        state = await service.progress(session, broadcast_id, NOW)
    assert (rows[users[1]].status, rows[users[1]].reason) == ("unreachable", "blocked")
    assert (rows[users[3]].status, rows[users[3]].reason) == ("unreachable", "chat_not_found")
    assert blocked is not None and blocked.blocked_at == NOW
    assert received(emulator) == Counter({users[0]: 1, users[2]: 1})
    assert state is not None and state.finished and (state.sent, state.unreachable) == (2, 2)


async def test_server_errors_are_retried_after_a_back_off(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    users = await many_linked(sqlite_db, emulator, 40_000, 3)
    await _create(sqlite_db, dengue())
    emulator.faults.force_server_error(1, 502, methods=frozenset({"sendmessage"}))
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=50)
    ) as sender:
        await sender.drain()
        assert await delivery_statuses(sqlite_db) == {"sent": 2, "pending": 1}
        clock.advance(timedelta(seconds=5))
        await sender.drain()
    assert await delivery_statuses(sqlite_db) == {"sent": 3}
    assert received(emulator) == Counter({user: 1 for user in users})


async def test_muted_users_get_alerts_and_urgent_notices_but_not_general_notices(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    [listening] = await many_linked(sqlite_db, emulator, 50_000, 1)
    [muted] = await many_linked(sqlite_db, emulator, 50_100, 1, notices_muted=True)
    await _create(sqlite_db, dengue())
    await _create(sqlite_db, dengue(urgent=True))
    alert_id = await _create(sqlite_db, PLACE_ALERT)
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=50)
    ) as sender:
        await sender.drain()
    assert received(emulator) == Counter({listening: 3, muted: 2})
    alert = [m for m in emulator.chat_messages(muted) if m.inline_buttons]
    assert len(alert) == 1
    async with sqlite_db.unit_of_work() as session:
        delivery_id = await session.scalar(
            select(BroadcastDelivery.id).where(
                BroadcastDelivery.broadcast_id == alert_id,
                BroadcastDelivery.telegram_user_id == muted,
            )
        )
    assert [b.callback_data for b in alert[0].inline_buttons] == [
        f"alr:{delivery_id}:here",
        f"alr:{delivery_id}:away",
    ]


async def test_each_recipient_reads_the_notice_in_their_own_language(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    [khmer] = await many_linked(sqlite_db, emulator, 60_000, 1, language="km")
    [bengali] = await many_linked(
        sqlite_db, emulator, 60_100, 1, language=None, telegram_language_code="bn"
    )
    [default] = await many_linked(
        sqlite_db, emulator, 60_200, 1, language=None, telegram_language_code="fr"
    )
    await _create(sqlite_db, dengue())
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=50)
    ) as sender:
        await sender.drain()
    texts = {
        user: emulator.chat_messages(user)[-1].text or "" for user in (khmer, bengali, default)
    }
    assert "ជំងឺគ្រុនឈាម" in texts[khmer]
    assert "ডেঙ্গু" in texts[bengali]
    assert "Sốt xuất huyết" in texts[default]


async def test_the_progress_message_is_edited_into_the_final_report(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    await many_linked(sqlite_db, emulator, 70_000, 5)
    staff = emulator.user(70_999, language_code="en")
    await staff.send("/start")
    broadcast_id = await _create(sqlite_db, dengue(), progress_chat=(staff.id, "en"))

    def render(state: service.Progress, locale: str) -> tuple[str, Buttons]:
        return progress_message(CATALOGS.get(locale), state)

    config = SenderConfig(rate_per_second=50)
    async with emulated_sender(
        sqlite_db, emulator, clock, config, render_progress=render
    ) as sender:
        text, buttons = render(await _progress(sqlite_db, broadcast_id), "en")
        sent = await sender.transport.send(OutgoingMessage(staff.id, text, buttons))
        assert sent.message_id is not None
        async with sqlite_db.unit_of_work() as session:
            await service.set_progress_message(session, broadcast_id, sent.message_id)
        await sender.drain()
    report = staff.chat.messages[sent.message_id]
    assert report.edited >= 1
    assert report.text is not None and "finished" in report.text and "Sent: 5" in report.text
    assert not report.inline_buttons, "a finished broadcast offers no stop button"
    async with sqlite_db.unit_of_work() as session:
        broadcast = await session.get(Broadcast, broadcast_id)
    assert broadcast is not None and broadcast.report_sent


async def _progress(db: Database, broadcast_id: int) -> service.Progress:
    async with db.unit_of_work() as session:
        state = await service.progress(session, broadcast_id, NOW)
    assert state is not None
    return state


async def test_two_workers_on_postgresql_deliver_each_message_exactly_once(
    db: Database, clock: FakeClock
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("several sender processes share the outbox on PostgreSQL")
    async with BotApiEmulator(FloodLimits.off()) as emulator:
        users = await many_linked(db, emulator, 80_000, 200)
        await _create(db, dengue())
        config = SenderConfig(rate_per_second=400, max_batch=20)
        async with (
            emulated_sender(db, emulator, clock, config, "worker-a") as first,
            emulated_sender(db, emulator, clock, config, "worker-b") as second,
        ):
            handled = await asyncio.gather(first.drain(), second.drain())
        assert sum(handled) == 200 and all(handled), "both workers took part"
        assert received(emulator) == Counter({user: 1 for user in users})
    assert await delivery_statuses(db) == {"sent": 200}


@pytest.mark.slow
async def test_ten_thousand_recipients_at_the_default_rate_never_meet_flood_control(
    sqlite_db: Database, emulator: BotApiEmulator, clock: FakeClock, request: pytest.FixtureRequest
) -> None:
    """About seven minutes at 25 messages per second: run it with `pytest -m slow`."""
    selected = str(request.config.getoption("markexpr") or "")
    if "slow" not in selected or "not slow" in selected:
        pytest.skip("takes about seven minutes; run with -m slow")
    users = await many_linked(sqlite_db, emulator, 100_000, 10_000)
    await _create(sqlite_db, dengue())
    async with emulated_sender(
        sqlite_db, emulator, clock, SenderConfig(rate_per_second=25)
    ) as sender:
        await sender.drain()
    assert emulator.bot().counters.too_many_requests == 0
    assert received(emulator) == Counter({user: 1 for user in users})
    assert _busiest_second(emulator) <= emulator.limits.global_per_second
