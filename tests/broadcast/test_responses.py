"""Answers to alerts, consent to share a phone number, live counts and the tracers' CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.broadcast import export, outbox, responses, service
from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.kinds import AlertAnswer
from bot.broadcast.outbox import Outcome, Settle
from bot.broadcast.responses import AnswerOutcome
from bot.broadcast.service import Actor, Draft
from bot.db.models import AuditEntry, BroadcastDelivery
from bot.db.session import Database
from tests.broadcast.support import CATALOGS, NOW, TODAY, dengue, linked_citizen
from tests.factories import make_citizen

PLACE_PARAMS = {
    "place": "Chợ Cà Mau",
    "start": "2026-11-20T01:00:00+00:00",
    "end": "2026-11-20T03:00:00+00:00",
    "disease": "COVID-19",
    "phone": "115",
}


async def _send_all(db: Database, draft: Draft) -> tuple[int, dict[int, int]]:
    """Create and 'deliver' a broadcast; returns its id and delivery ids by Telegram user."""
    async with db.unit_of_work() as session:
        broadcast_id, _ = await service.create(
            session, draft, Actor("cli"), now=NOW, today=TODAY, catalogs=CATALOGS
        )
        claimed = await outbox.claim(
            session, worker_id="w", now=NOW, limit=100, lease=outbox.MAX_BACKOFF
        )
        await outbox.settle(
            session,
            "w",
            [Outcome(c, Settle.SENT, message_id=1) for c in claimed],
            now=NOW,
            max_attempts=3,
        )
        rows = await session.execute(
            select(BroadcastDelivery.telegram_user_id, BroadcastDelivery.id).where(
                BroadcastDelivery.broadcast_id == broadcast_id,
                BroadcastDelivery.telegram_user_id.is_not(None),
            )
        )
        return broadcast_id, {
            user_id: delivery_id for user_id, delivery_id in rows if user_id is not None
        }


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_answers_are_recorded_replaced_and_checked_against_the_recipient(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        await linked_citizen(session, 1)
        await linked_citizen(session, 2)
    broadcast_id, deliveries = await _send_all(
        db, Draft("place_alert", Audience(AudienceKind.ALL), PLACE_PARAMS)
    )
    async with db.unit_of_work() as session:
        first = await responses.record_answer(session, deliveries[1], 1, AlertAnswer.NOT_THERE, NOW)
        changed = await responses.record_answer(
            session, deliveries[1], 1, AlertAnswer.WAS_THERE, NOW
        )
        forwarded = await responses.record_answer(
            session, deliveries[1], 2, AlertAnswer.NOT_THERE, NOW
        )
        wrong_kind = await responses.record_answer(
            session, deliveries[2], 2, AlertAnswer.SYMPTOMS, NOW
        )
        missing = await responses.record_answer(session, 99_999, 2, AlertAnswer.NOT_THERE, NOW)
        counts = await responses.alert_counts(session, broadcast_id)
    assert first.outcome is AnswerOutcome.RECORDED and not first.asks_for_phone
    assert changed.asks_for_phone
    assert forwarded.outcome is AnswerOutcome.NOT_YOURS
    assert wrong_kind.outcome is AnswerOutcome.UNKNOWN and missing.outcome is AnswerOutcome.UNKNOWN
    assert (
        counts is not None
        and counts.answers == {AlertAnswer.WAS_THERE: 1}
        and counts.delivered == 2
    )


async def test_notices_take_no_answers(db: Database) -> None:
    async with db.unit_of_work() as session:
        await linked_citizen(session, 1)
    broadcast_id, deliveries = await _send_all(db, dengue())
    async with db.unit_of_work() as session:
        result = await responses.record_answer(
            session, deliveries[1], 1, AlertAnswer.ACKNOWLEDGED, NOW
        )
        assert await responses.alert_counts(session, broadcast_id) is None
        assert (
            await export.export_csv(
                session, broadcast_id, now=NOW, actor_kind="staff", actor_telegram_id=None
            )
            is None
        )
    assert result.outcome is AnswerOutcome.UNKNOWN


async def test_a_place_alert_export_names_only_those_who_agreed_to_share(db: Database) -> None:
    async with db.unit_of_work() as session:
        sharer = await linked_citizen(session, 1, phones=["+84911111111"])
        await linked_citizen(session, 2, phones=["+84922222222"])
        await linked_citizen(session, 3, phones=["+84933333333"], account={"blocked_at": NOW})
    broadcast_id, deliveries = await _send_all(
        db, Draft("place_alert", Audience(AudienceKind.ALL), PLACE_PARAMS)
    )
    async with db.unit_of_work() as session:
        await responses.record_answer(session, deliveries[1], 1, AlertAnswer.WAS_THERE, NOW)
        assert (
            await responses.decide_phone_sharing(session, deliveries[1], 1, True, NOW)
            is AnswerOutcome.RECORDED
        )
        await responses.record_answer(session, deliveries[2], 2, AlertAnswer.WAS_THERE, NOW)
        assert (
            await responses.decide_phone_sharing(session, deliveries[2], 2, False, NOW)
            is AnswerOutcome.RECORDED
        )
        assert (
            await responses.decide_phone_sharing(session, deliveries[2], 1, True, NOW)
            is AnswerOutcome.NOT_YOURS
        )
        exported = await export.export_csv(
            session, broadcast_id, now=NOW, actor_kind="staff", actor_telegram_id=9
        )
        audit = list(
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.action.like("alert.%"))
            )
        )
    assert exported is not None
    text, count = exported
    rows = _rows(text)
    assert count == 2 and [row["category"] for row in rows] == ["response", "response"]
    shared, declined = rows
    assert (shared["national_id"], shared["phone"], shared["phone_shared"]) == (
        sharer.national_id,
        "+84911111111",
        "yes",
    )
    assert (declined["national_id"], declined["full_name"], declined["phone"]) == ("", "", "")
    assert "+8493" not in text, "area citizens who blocked the bot are not listed for phoning"
    assert sorted(audit) == [
        "alert.answer",
        "alert.answer",
        "alert.export",
        "alert.phone_sharing",
        "alert.phone_sharing",
    ]


async def test_a_contact_alert_export_lists_every_named_contact_the_bot_could_not_reach(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        answering = await linked_citizen(session, 1, phones=["+84911111111"])
        unlinked = await make_citizen(session, phones=["+84944444444"])
    listed = Audience(
        AudienceKind.CCCD,
        national_ids=(answering.national_id or "", unlinked.national_id or "", "096185000888"),
    )
    broadcast_id, deliveries = await _send_all(
        db, Draft("contact_alert", listed, {"disease": "Sởi", "phone": "115"})
    )
    async with db.unit_of_work() as session:
        await responses.record_answer(session, deliveries[1], 1, AlertAnswer.SYMPTOMS, NOW)
        exported = await export.export_csv(
            session, broadcast_id, now=NOW, actor_kind="operator", actor_telegram_id=None
        )
        counts = await responses.alert_counts(session, broadcast_id)
    assert exported is not None and counts is not None
    rows = _rows(exported[0])
    assert [(r["category"], r["answer_or_reason"]) for r in rows] == [
        ("response", "sym"),
        ("unreachable", "not_linked"),
        ("unreachable", "not_found"),
    ]
    assert rows[0]["national_id"] == answering.national_id and rows[0]["phone"] == ""
    assert (rows[1]["national_id"], rows[1]["phone"]) == (unlinked.national_id, "+84944444444")
    assert (rows[2]["national_id"], rows[2]["full_name"], rows[2]["phone"]) == (
        "096185000888",
        "",
        "",
    )
    assert (counts.delivered, counts.unreachable, counts.answered) == (1, 2, 1)
