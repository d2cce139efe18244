"""Consent is recorded and provable; /deletemydata erases the account but never the audit log."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import AuditEntry, ConversationState, TelegramAccount
from bot.db.session import Database
from bot.signin import (
    ConsentRequired,
    ErasureReport,
    KeptRecord,
    LinkState,
    SignInService,
    has_consented,
    record_consent,
    withdraw_and_erase,
)
from tests.signin.conftest import FakeClock
from tests.signin.steps import add_account, add_person, audit_rows, link_of, login, login_as

USER = 504_000_001


async def test_consent_is_recorded_with_its_version(store: Database, clock: FakeClock) -> None:
    async with store.unit_of_work() as session:
        assert await has_consented(session, USER) is False
        await record_consent(session, USER, chat_id=99, version="2026-01", now=clock.now)
    async with store.unit_of_work() as session:
        assert await has_consented(session, USER) is True
        assert await has_consented(session, USER, "2026-01") is True
        assert await has_consented(session, USER, "2026-02") is False
        account = await session.get(TelegramAccount, USER)
        assert account is not None
        assert (account.chat_id, account.consent_version, account.consented_at) == (
            99,
            "2026-01",
            clock.now,
        )
    [entry] = await audit_rows(store)
    assert (entry.action, entry.actor_telegram_id, entry.detail, entry.at) == (
        "consent_given",
        USER,
        "consent version 2026-01",
        clock.now,
    )


async def test_consent_again_updates_the_existing_account(
    store: Database, clock: FakeClock
) -> None:
    await add_account(store, USER, consented_at=None, language="km")
    async with store.unit_of_work() as session:
        await record_consent(session, USER, chat_id=USER, version="2", now=clock.now)
    async with store.unit_of_work() as session:
        account = await session.get(TelegramAccount, USER)
        assert account is not None and (account.language, account.consent_version) == ("km", "2")


async def test_deletemydata_erases_the_account_and_keeps_the_audit_log(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER, language="bn", reminders_enabled=True, notices_muted=True)
    await login(
        store,
        service,
        USER,
        national_id=person.national_id,
        phone="+84987654321",
        birth_text=person.birth_text,
    )
    await login_as(store, service, USER, person)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
    before = [(row.id, row.action, row.outcome, row.detail) for row in await audit_rows(store)]

    async with store.unit_of_work() as session:
        report = await withdraw_and_erase(session, USER, clock.now)

    assert report == ErasureReport(
        had_account=True,
        unlinked_citizen_id=person.citizen_id,
        kept={
            KeptRecord.AUDIT_LOG: len(before) + 1,
            KeptRecord.SIGN_IN_ATTEMPTS: 2,
            KeptRecord.SIGN_IN_LOCKS: 0,
        },
    )
    after = await audit_rows(store)
    assert [(row.id, row.action, row.outcome, row.detail) for row in after[:-1]] == before
    assert (after[-1].action, after[-1].subject_citizen_id) == (
        "consent_withdrawn",
        person.citizen_id,
    )
    async with store.unit_of_work() as session:
        assert await session.get(TelegramAccount, USER) is None
        assert await session.get(ConversationState, USER) is None
        assert await has_consented(session, USER) is False
        assert await service.start_login(session, USER) == ConsentRequired()
        subjects = set(await session.scalars(select(AuditEntry.subject_citizen_id)))
    assert person.citizen_id in subjects
    assert await link_of(store, service, USER) is LinkState.NOT_LINKED


async def test_deletemydata_erases_any_conversation_state(
    store: Database, clock: FakeClock
) -> None:
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        session.add(
            ConversationState(
                telegram_user_id=USER, flow="appointments", step="pick", data={"x": 1}
            )
        )
    async with store.unit_of_work() as session:
        await withdraw_and_erase(session, USER, clock.now)
    async with store.unit_of_work() as session:
        assert await session.get(ConversationState, USER) is None


async def test_deletemydata_for_a_stranger_does_nothing(store: Database, clock: FakeClock) -> None:
    async with store.unit_of_work() as session:
        report = await withdraw_and_erase(session, USER, clock.now)
    assert report == ErasureReport(
        had_account=False,
        unlinked_citizen_id=None,
        kept={KeptRecord.AUDIT_LOG: 0, KeptRecord.SIGN_IN_ATTEMPTS: 0, KeptRecord.SIGN_IN_LOCKS: 0},
    )
    assert await audit_rows(store) == []
