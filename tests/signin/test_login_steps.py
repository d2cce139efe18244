"""Login steps: refusals that keep the flow waiting, wrong order, restarts, cancel, abandon."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.db.models import ConversationState
from bot.db.session import Database
from bot.identity.birthdate import BirthdateProblem
from bot.identity.cccd import CccdProblem
from bot.signin import (
    BirthdateRejected,
    ContactRefusal,
    ContactRefused,
    Flow,
    IdRejected,
    OutOfStep,
    Prompt,
    SignedIn,
    SignInPolicy,
    SignInService,
    Step,
)
from bot.signin.conversation import purge_abandoned
from tests.signin.conftest import SALT, FakeClock
from tests.signin.steps import (
    add_account,
    add_person,
    attempts,
    audit_rows,
    pending,
)

USER = 501_000_001
OTHER_USER = 501_000_002


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("381234567", CccdProblem.OLD_CMND),
        ("09618500012", CccdProblem.WRONG_LENGTH),
        ("09618500012X", CccdProblem.NOT_DIGITS),
        ("003185000123", CccdProblem.UNKNOWN_PROVINCE),
        ("096685000123", CccdProblem.BAD_CENTURY_DIGIT),
        ("096299000123", CccdProblem.BIRTH_YEAR_IN_FUTURE),
    ],
)
async def test_malformed_id_is_answered_at_once_and_not_counted(
    store: Database, service: SignInService, typed: str, problem: CccdProblem
) -> None:
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        assert await service.submit_id(session, USER, typed) == IdRejected(problem)
    assert await pending(store, service, USER) == Prompt(Flow.LOGIN, Step.AWAIT_ID)
    assert await attempts(store) == []
    rejected = (await audit_rows(store))[-1]
    assert (rejected.outcome, rejected.detail) == ("rejected", f"id {problem}")


@pytest.mark.parametrize(
    ("contact_user_id", "forwarded"),
    [(OTHER_USER, False), (USER, True), (None, False)],
    ids=["other-person", "forwarded-own", "phonebook-card"],
)
async def test_someone_elses_contact_is_refused(
    store: Database, service: SignInService, contact_user_id: int | None, forwarded: bool
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        await service.submit_id(session, USER, person.national_id)
        refused = await service.submit_contact(
            session, USER, phone=person.phone, contact_user_id=contact_user_id, forwarded=forwarded
        )
    assert refused == ContactRefused(ContactRefusal.SOMEONE_ELSES_CONTACT)
    assert await pending(store, service, USER) == Prompt(Flow.LOGIN, Step.AWAIT_PHONE)
    assert await attempts(store) == []
    async with store.unit_of_work() as session:
        own = await service.submit_contact(
            session, USER, phone=person.phone, contact_user_id=USER, forwarded=False
        )
        assert own == Prompt(Flow.LOGIN, Step.AWAIT_BIRTHDATE)
        assert isinstance(
            await service.submit_birthdate(session, USER, person.birth_text), SignedIn
        )


async def test_typed_phone_is_refused(store: Database, service: SignInService) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        await service.submit_id(session, USER, person.national_id)
        assert await service.submit_typed_phone(session, USER, person.phone) == ContactRefused(
            ContactRefusal.TYPED_PHONE
        )
    assert await pending(store, service, USER) == Prompt(Flow.LOGIN, Step.AWAIT_PHONE)


async def test_unusable_birth_dates_keep_the_flow_waiting(
    store: Database, service: SignInService
) -> None:
    person = await add_person(store, birth_date=date(1985, 3, 14))
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        await service.submit_id(session, USER, person.national_id)
        await service.submit_contact(
            session, USER, phone=person.phone, contact_user_id=USER, forwarded=False
        )
        assert await service.submit_birthdate(session, USER, "31/02/1985") == BirthdateRejected(
            BirthdateProblem.IMPOSSIBLE_DATE
        )
        assert await service.submit_birthdate(session, USER, "14/03/2030") == BirthdateRejected(
            BirthdateProblem.IN_FUTURE
        )
        assert await service.submit_birthdate(session, USER, "14/03/1986") == BirthdateRejected(
            BirthdateProblem.YEAR_DIFFERS_FROM_ID
        )
    assert await attempts(store) == []
    async with store.unit_of_work() as session:
        assert isinstance(await service.submit_birthdate(session, USER, "14.3.1985"), SignedIn)


async def test_input_out_of_step(store: Database, service: SignInService) -> None:
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        assert await service.submit_birthdate(session, USER, "14/03/1985") == OutOfStep(None)
        assert await service.submit_id(session, USER, "096185000123") == OutOfStep(None)
        await service.start_login(session, USER)
        assert await service.submit_contact(
            session, USER, phone="+84912345678", contact_user_id=USER, forwarded=False
        ) == OutOfStep(Prompt(Flow.LOGIN, Step.AWAIT_ID))
        assert await service.submit_birthdate(session, USER, "14/03/1985") == OutOfStep(
            Prompt(Flow.LOGIN, Step.AWAIT_ID)
        )


async def test_restart_mid_login_continues_from_the_database(
    database_url: str, store: Database, policy: SignInPolicy, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    before = SignInService(policy, clock)
    async with store.unit_of_work() as session:
        await before.start_login(session, USER)
        await before.submit_id(session, USER, person.national_id)
        await before.submit_contact(
            session, USER, phone=person.phone, contact_user_id=USER, forwarded=False
        )
    await store.dispose()

    clock.advance(minutes=5)
    restarted = Database(database_url)
    after = SignInService(SignInPolicy(identifier_salt=SALT), clock)
    try:
        async with restarted.unit_of_work() as session:
            assert await after.pending(session, USER) == Prompt(Flow.LOGIN, Step.AWAIT_BIRTHDATE)
            result = await after.submit_birthdate(session, USER, person.birth_text)
    finally:
        await restarted.dispose()
    assert isinstance(result, SignedIn) and result.citizen_id == person.citizen_id


async def test_cancel_forgets_the_id(store: Database, service: SignInService) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        await service.submit_id(session, USER, person.national_id)
        assert await service.cancel(session, USER) is True
        assert await service.cancel(session, USER) is False
        assert await service.submit_contact(
            session, USER, phone=person.phone, contact_user_id=USER, forwarded=False
        ) == OutOfStep(None)
        assert await session.get(ConversationState, USER) is None
    assert (await audit_rows(store))[-1].outcome == "cancelled"


async def test_abandoned_login_is_forgotten(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        await service.submit_id(session, USER, person.national_id)
    clock.advance(minutes=30)
    async with store.unit_of_work() as session:
        assert await service.submit_contact(
            session, USER, phone=person.phone, contact_user_id=USER, forwarded=False
        ) == OutOfStep(None)
        assert await session.get(ConversationState, USER) is None


async def test_another_features_conversation_is_left_alone(
    store: Database, service: SignInService
) -> None:
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        session.add(
            ConversationState(telegram_user_id=USER, flow="broadcast", step="await_text", data={})
        )
    async with store.unit_of_work() as session:
        assert await service.pending(session, USER) is None
        assert await service.cancel(session, USER) is False
        assert await service.submit_id(session, USER, "096185000123") == OutOfStep(None)
        state = await session.scalar(
            select(ConversationState).where(ConversationState.telegram_user_id == USER)
        )
        assert state is not None and state.flow == "broadcast"


async def test_abandoned_logins_are_purged_by_a_job(
    store: Database, service: SignInService, clock: FakeClock, policy: SignInPolicy
) -> None:
    await add_account(store, USER)
    await add_account(store, OTHER_USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        session.add(
            ConversationState(telegram_user_id=OTHER_USER, flow="broadcast", step="x", data={})
        )
    clock.advance(minutes=31)
    async with store.unit_of_work() as session:
        assert await purge_abandoned(session, clock.now, policy.abandon_after) == 1
        assert await session.get(ConversationState, USER) is None
        assert await session.get(ConversationState, OTHER_USER) is not None
