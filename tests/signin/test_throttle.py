"""Failed sign-ins lock the account and the ID with a doubling back-off; the owner is alerted."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.db.models import SignInLock
from bot.db.session import Database
from bot.identity.cccd import CccdProblem
from bot.signin import (
    AccountRef,
    Flow,
    IdRejected,
    Locked,
    Prompt,
    SignedIn,
    SignInFailed,
    SignInService,
    Step,
)
from bot.signin.throttle import id_lock_key, identifier_hash
from tests.factories import cccd_for
from tests.signin.conftest import SALT, FakeClock
from tests.signin.steps import (
    LoginResult,
    Person,
    add_account,
    add_person,
    audit_rows,
    login,
    login_as,
)

USER = 502_000_001
OWNER = 502_000_009
BIRTH = date(1990, 6, 1)


def _unknown_id(number: int) -> str:
    return cccd_for(BIRTH, serial=900_000 + number)


async def _fail_with_unknown_ids(
    db: Database, service: SignInService, user: int, count: int, first: int = 0
) -> list[LoginResult]:
    """`count` failures, each with a different unknown ID so only the account counter moves."""
    results = []
    for number in range(first, first + count):
        results.append(
            await login(
                db,
                service,
                user,
                national_id=_unknown_id(number),
                phone="+84912000000",
                birth_text="01/06/1990",
            )
        )
    return results


async def _fail_with(
    db: Database, service: SignInService, user: int, person: Person
) -> LoginResult:
    """A failure with the person's real ID and the wrong day of their birth year."""
    wrong_day = person.birth_date + timedelta(days=1)
    assert wrong_day.year == person.birth_date.year
    return await login(
        db,
        service,
        user,
        national_id=person.national_id,
        phone=person.phone,
        birth_text=wrong_day.strftime("%d/%m/%Y"),
    )


async def test_fifth_failure_locks_the_account_and_says_until_when(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    await add_account(store, USER)
    first_four = await _fail_with_unknown_ids(store, service, USER, 4)
    assert first_four == [SignInFailed(retry_at=None, alert_owner=None)] * 4

    [fifth] = await _fail_with_unknown_ids(store, service, USER, 1, first=4)

    assert fifth == SignInFailed(retry_at=clock.now + timedelta(minutes=15), alert_owner=None)
    async with store.unit_of_work() as session:
        assert await service.start_login(session, USER) == Locked(clock.now + timedelta(minutes=15))
    assert (await audit_rows(store))[-1].outcome == "locked"


async def test_lock_is_released_after_the_back_off_and_doubles_next_time(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store, birth_date=BIRTH)
    await add_account(store, USER)
    await _fail_with_unknown_ids(store, service, USER, 5)

    clock.advance(minutes=14, seconds=59)
    assert isinstance(await login_as(store, service, USER, person), Locked)
    clock.advance(seconds=1)
    again = await _fail_with_unknown_ids(store, service, USER, 5, first=10)
    assert again[:4] == [SignInFailed(retry_at=None, alert_owner=None)] * 4
    assert again[4] == SignInFailed(retry_at=clock.now + timedelta(minutes=30), alert_owner=None)

    clock.advance(minutes=30)
    third = await _fail_with_unknown_ids(store, service, USER, 5, first=20)
    assert third[4] == SignInFailed(retry_at=clock.now + timedelta(minutes=60), alert_owner=None)

    clock.advance(minutes=60)
    assert isinstance(await login_as(store, service, USER, person), SignedIn)
    after_success = await _fail_with_unknown_ids(store, service, USER, 5, first=30)
    assert after_success[4] == SignInFailed(
        retry_at=clock.now + timedelta(minutes=15), alert_owner=None
    )


async def test_back_off_starts_over_after_a_quiet_day(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    await add_account(store, USER)
    await _fail_with_unknown_ids(store, service, USER, 5)
    clock.advance(minutes=15, hours=24)
    again = await _fail_with_unknown_ids(store, service, USER, 5, first=10)
    assert again[4] == SignInFailed(retry_at=clock.now + timedelta(minutes=15), alert_owner=None)


async def test_failures_outside_the_window_do_not_count(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    await add_account(store, USER)
    await _fail_with_unknown_ids(store, service, USER, 4)
    clock.advance(minutes=15)
    results = await _fail_with_unknown_ids(store, service, USER, 4, first=10)
    assert results == [SignInFailed(retry_at=None, alert_owner=None)] * 4


async def test_success_resets_the_account_counter(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store, birth_date=BIRTH)
    await add_account(store, USER)
    await _fail_with_unknown_ids(store, service, USER, 4)
    assert isinstance(await login_as(store, service, USER, person), SignedIn)
    results = await _fail_with_unknown_ids(store, service, USER, 4, first=10)
    assert results == [SignInFailed(retry_at=None, alert_owner=None)] * 4


async def test_five_failures_on_one_id_lock_it_for_every_account(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store, birth_date=BIRTH)
    intruders = [USER + number for number in range(6)]
    for intruder in intruders:
        await add_account(store, intruder)

    results = [await _fail_with(store, service, intruder, person) for intruder in intruders[:5]]

    locked_until = clock.now + timedelta(minutes=15)
    assert results[:4] == [SignInFailed(retry_at=None, alert_owner=None)] * 4
    assert results[4] == SignInFailed(retry_at=locked_until, alert_owner=None)
    async with store.unit_of_work() as session:
        assert await service.start_login(session, intruders[5]) == Prompt(Flow.LOGIN, Step.AWAIT_ID)
        assert await service.submit_id(session, intruders[5], person.national_id) == Locked(
            locked_until
        )
        await service.start_login(session, intruders[5])
        assert isinstance(await service.submit_id(session, intruders[5], _unknown_id(1)), Prompt)
        lock_keys = list(await session.scalars(select(SignInLock.key)))
    assert id_lock_key(identifier_hash(person.national_id, SALT)) in lock_keys
    assert all(person.national_id not in key for key in lock_keys)

    await add_account(store, OWNER)
    assert await login_as(store, service, OWNER, person) == Locked(locked_until)
    clock.advance(minutes=15)
    assert isinstance(await login_as(store, service, OWNER, person), SignedIn)


async def test_id_locked_while_a_login_waits_for_the_birth_date(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store, birth_date=BIRTH)
    await add_account(store, OWNER)
    async with store.unit_of_work() as session:
        await service.start_login(session, OWNER)
        await service.submit_id(session, OWNER, person.national_id)
        await service.submit_contact(
            session, OWNER, phone=person.phone, contact_user_id=OWNER, forwarded=False
        )
    for intruder in range(USER, USER + 5):
        await add_account(store, intruder)
        await _fail_with(store, service, intruder, person)
    async with store.unit_of_work() as session:
        result = await service.submit_birthdate(session, OWNER, person.birth_text)
    assert result == Locked(clock.now + timedelta(minutes=15))


async def test_owner_of_the_id_is_named_for_an_alert(
    store: Database, service: SignInService
) -> None:
    person = await add_person(store, birth_date=BIRTH)
    await add_account(store, OWNER, chat_id=777)
    await add_account(store, USER)
    assert isinstance(await login_as(store, service, OWNER, person), SignedIn)

    failed = await _fail_with(store, service, USER, person)
    unknown = await _fail_with_unknown_ids(store, service, USER, 1)
    own_mistake = await _fail_with(store, service, OWNER, person)

    assert failed == SignInFailed(retry_at=None, alert_owner=AccountRef(OWNER, 777))
    assert unknown == [SignInFailed(retry_at=None, alert_owner=None)]
    assert own_mistake == SignInFailed(retry_at=None, alert_owner=None)


async def test_format_problems_and_refusals_never_lock(
    store: Database, service: SignInService
) -> None:
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        await service.start_login(session, USER)
        for _ in range(10):
            assert await service.submit_id(session, USER, "123") == IdRejected(
                CccdProblem.WRONG_LENGTH
            )
    async with store.unit_of_work() as session:
        assert isinstance(await service.start_login(session, USER), Prompt)
