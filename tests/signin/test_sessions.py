"""Sessions: expiry and the birth-date re-check, logging out, a new account taking over."""

from __future__ import annotations

from datetime import timedelta

from bot.db.models import TelegramAccount
from bot.db.session import Database
from bot.signin import (
    AccountRef,
    Flow,
    LinkState,
    Locked,
    OutOfStep,
    Prompt,
    SignedIn,
    SignInFailed,
    SignInService,
    Step,
    logout,
)
from tests.signin.conftest import FakeClock
from tests.signin.steps import add_account, add_person, audit_rows, link_of, login_as

USER = 503_000_001
NEW_PHONE_USER = 503_000_002


async def _recheck(db: Database, service: SignInService, user: int, birth_text: str) -> object:
    async with db.unit_of_work() as session:
        started = await service.start_recheck(session, user)
        if started != Prompt(Flow.RECHECK, Step.AWAIT_BIRTHDATE):
            return started
        return await service.submit_birthdate(session, user, birth_text)


async def test_link_expires_and_a_birth_date_renews_it(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await login_as(store, service, USER, person)

    clock.advance(days=30, seconds=-1)
    assert await link_of(store, service, USER) == person.citizen_id
    clock.advance(seconds=1)
    assert await link_of(store, service, USER) is LinkState.EXPIRED

    wrong = (person.birth_date + timedelta(days=1)).strftime("%d/%m/%Y")
    assert await _recheck(store, service, USER, wrong) == SignInFailed(
        retry_at=None, alert_owner=None
    )
    assert await link_of(store, service, USER) is LinkState.EXPIRED

    renewed = await _recheck(store, service, USER, person.birth_text)
    assert renewed == SignedIn(person.citizen_id, clock.now + timedelta(days=30), displaced=None)
    assert await link_of(store, service, USER) == person.citizen_id
    outcomes = [
        (row.action, row.outcome) for row in await audit_rows(store) if row.action == "recheck"
    ]
    assert outcomes == [("recheck", "failure"), ("recheck", "success")]


async def test_recheck_needs_a_linked_account(store: Database, service: SignInService) -> None:
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        assert await service.start_recheck(session, USER) is LinkState.NOT_LINKED


async def test_recheck_failures_lock_the_account(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await login_as(store, service, USER, person)
    clock.advance(days=31)
    wrong = (person.birth_date + timedelta(days=1)).strftime("%d/%m/%Y")
    results = [await _recheck(store, service, USER, wrong) for _ in range(5)]
    assert results[4] == SignInFailed(retry_at=clock.now + timedelta(minutes=15), alert_owner=None)
    assert await _recheck(store, service, USER, person.birth_text) == Locked(
        clock.now + timedelta(minutes=15)
    )


async def test_recheck_after_being_signed_out_elsewhere_is_out_of_step(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await add_account(store, NEW_PHONE_USER)
    await login_as(store, service, USER, person)
    clock.advance(days=31)
    async with store.unit_of_work() as session:
        await service.start_recheck(session, USER)
    await login_as(store, service, NEW_PHONE_USER, person)
    async with store.unit_of_work() as session:
        assert await service.submit_birthdate(session, USER, person.birth_text) == OutOfStep(None)
    assert await link_of(store, service, USER) is LinkState.NOT_LINKED


async def test_logout(store: Database, service: SignInService, clock: FakeClock) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await login_as(store, service, USER, person)
    async with store.unit_of_work() as session:
        assert await logout(session, USER, clock.now) is True
        assert await logout(session, USER, clock.now) is False
    assert await link_of(store, service, USER) is LinkState.NOT_LINKED
    last = (await audit_rows(store))[-1]
    assert (last.action, last.subject_citizen_id, last.actor_telegram_id) == (
        "sign_out",
        person.citizen_id,
        USER,
    )


async def test_new_account_takes_over_and_the_old_one_is_named(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER, chat_id=4242)
    await add_account(store, NEW_PHONE_USER)
    await login_as(store, service, USER, person)

    clock.advance(days=2)
    result = await login_as(store, service, NEW_PHONE_USER, person)

    assert result == SignedIn(
        person.citizen_id, clock.now + timedelta(days=30), displaced=AccountRef(USER, 4242)
    )
    assert await link_of(store, service, USER) is LinkState.NOT_LINKED
    assert await link_of(store, service, NEW_PHONE_USER) == person.citizen_id
    async with store.unit_of_work() as session:
        old = await session.get(TelegramAccount, USER)
        assert old is not None and (old.citizen_id, old.linked_at, old.link_expires_at) == (
            None,
            None,
            None,
        )
    takeover = [row for row in await audit_rows(store) if row.action == "signed_out_by_takeover"]
    assert [(row.actor_telegram_id, row.subject_citizen_id) for row in takeover] == [
        (USER, person.citizen_id)
    ]


async def test_signing_in_again_on_the_same_account_displaces_nobody(
    store: Database, service: SignInService
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await login_as(store, service, USER, person)
    again = await login_as(store, service, USER, person)
    assert isinstance(again, SignedIn) and again.displaced is None
