"""Admin statistics: aggregates only, small districts pooled."""

from __future__ import annotations

from datetime import timedelta

from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.kinds import AlertAnswer
from bot.broadcast.responses import record_answer
from bot.broadcast.service import Draft
from bot.broadcast.stats import statistics
from bot.db.session import Database
from tests.broadcast.support import NOW, dengue, linked_citizen
from tests.broadcast.test_responses import PLACE_PARAMS, _send_all


async def test_statistics_count_linked_active_sent_reach_and_answers(db: Database) -> None:
    async with db.unit_of_work() as session:
        for user_id in range(1, 7):
            await linked_citizen(
                session,
                user_id,
                district="Cái Nước",
                account={"last_seen_at": NOW - timedelta(days=user_id)},
            )
        await linked_citizen(session, 7, district="Năm Căn", account={"notices_muted": True})
        await linked_citizen(
            session,
            8,
            district="Năm Căn",
            account={"blocked_at": NOW, "last_seen_at": NOW - timedelta(days=40)},
        )
    await _send_all(db, dengue())
    alert_id, deliveries = await _send_all(
        db, Draft("place_alert", Audience(AudienceKind.ALL), PLACE_PARAMS)
    )
    async with db.unit_of_work() as session:
        for user_id in (1, 2):
            await record_answer(session, deliveries[user_id], user_id, AlertAnswer.NOT_THERE, NOW)
        figures = await statistics(session, NOW)
    assert figures.linked_total == 8
    assert figures.linked_by_district == [("Cái Nước", 6), (None, 2)], (
        "districts under five people are pooled"
    )
    assert figures.active_users == 6 and figures.muted_users == 1
    assert figures.broadcasts == 2
    assert figures.notices_sent == 6 and figures.alerts_sent == 7
    assert figures.reach_percent == round(100 * 13 / 15, 1)
    assert figures.response_percent == round(100 * 2 / 7, 1)
    assert alert_id
