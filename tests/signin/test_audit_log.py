"""The audit log: masked details, a citizen's recent accesses, the full trail for staff."""

from __future__ import annotations

from datetime import timedelta

from bot.audit.log import Access, Action, ActorKind, Outcome, recent_accesses, record, trail
from bot.db.session import Database
from tests.signin.conftest import START
from tests.signin.steps import add_person, audit_rows

VIEWER = 505_000_001
STAFF_VIEWER = 505_000_002


async def test_detail_is_masked_whatever_the_caller_passed(store: Database) -> None:
    async with store.unit_of_work() as session:
        entry = await record(
            session,
            actor_kind=ActorKind.SYSTEM,
            action="import",
            outcome=Outcome.FAILURE,
            detail="row for 096185005678, phone 0912345678, born 05/09/1985",
            at=START,
        )
        assert entry.id is not None
    [saved] = await audit_rows(store)
    assert saved.detail == "row for ••••••••5678, phone +84•••••5678, born ••/••/••••"
    assert (saved.actor_kind, saved.action, saved.outcome, saved.at) == (
        "system",
        "import",
        "failure",
        START,
    )


async def test_recent_accesses_are_views_newest_first_with_the_account(store: Database) -> None:
    person = await add_person(store)
    other = await add_person(store)
    async with store.unit_of_work() as session:
        for minutes, section in enumerate(["visits", "medications", "allergies", "insurance"]):
            await record(
                session,
                actor_kind=ActorKind.TELEGRAM_USER,
                action=Action.VIEW,
                actor_telegram_id=VIEWER,
                actor_citizen_id=person.citizen_id,
                subject_citizen_id=person.citizen_id,
                section=section,
                at=START + timedelta(minutes=minutes),
            )
        await record(
            session,
            actor_kind=ActorKind.STAFF,
            action=Action.VIEW,
            actor_telegram_id=STAFF_VIEWER,
            subject_citizen_id=person.citizen_id,
            section="visits",
            at=START + timedelta(hours=1),
        )
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.SIGN_IN,
            actor_telegram_id=VIEWER,
            subject_citizen_id=person.citizen_id,
            outcome=Outcome.SUCCESS,
            at=START + timedelta(hours=2),
        )
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.VIEW,
            actor_telegram_id=VIEWER,
            subject_citizen_id=other.citizen_id,
            section="visits",
            at=START + timedelta(hours=3),
        )

    async with store.unit_of_work() as session:
        latest = await recent_accesses(session, person.citizen_id, limit=3)
        everything = await recent_accesses(session, person.citizen_id)

    assert latest == [
        Access(START + timedelta(hours=1), "visits", "staff", STAFF_VIEWER, None),
        Access(
            START + timedelta(minutes=3), "insurance", "telegram_user", VIEWER, person.citizen_id
        ),
        Access(
            START + timedelta(minutes=2), "allergies", "telegram_user", VIEWER, person.citizen_id
        ),
    ]
    assert [access.section for access in everything] == [
        "visits",
        "insurance",
        "allergies",
        "medications",
        "visits",
    ]


async def test_trail_is_everything_about_or_by_the_citizen_oldest_first(store: Database) -> None:
    person = await add_person(store)
    other = await add_person(store)
    async with store.unit_of_work() as session:
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.SIGN_IN,
            actor_telegram_id=VIEWER,
            subject_citizen_id=person.citizen_id,
            outcome=Outcome.FAILURE,
            at=START + timedelta(minutes=5),
        )
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.VIEW,
            actor_telegram_id=VIEWER,
            actor_citizen_id=person.citizen_id,
            subject_citizen_id=other.citizen_id,
            section="visits",
            at=START + timedelta(minutes=9),
        )
        await record(
            session,
            actor_kind=ActorKind.STAFF,
            action="broadcast",
            at=START + timedelta(minutes=1),
        )
        await record(
            session,
            actor_kind=ActorKind.TELEGRAM_USER,
            action=Action.VIEW,
            actor_telegram_id=VIEWER,
            subject_citizen_id=person.citizen_id,
            section="visits",
            at=START,
        )
    async with store.unit_of_work() as session:
        entries = await trail(session, person.citizen_id)
    assert [(entry.at - START, entry.action, entry.outcome) for entry in entries] == [
        (timedelta(0), "view", None),
        (timedelta(minutes=5), "sign_in", "failure"),
        (timedelta(minutes=9), "view", None),
    ]
