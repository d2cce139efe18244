"""The three-factor login: success, the one generic failure, what is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.db.models import ConversationState, SignInAttempt, TelegramAccount
from bot.db.session import Database
from bot.signin import (
    ConsentRequired,
    Flow,
    Prompt,
    SignedIn,
    SignInFailed,
    SignInPolicy,
    SignInService,
    Step,
)
from bot.signin.throttle import identifier_hash
from tests.factories import cccd_for
from tests.signin.conftest import SALT, FakeClock
from tests.signin.steps import (
    add_account,
    add_person,
    attempts,
    audit_rows,
    link_of,
    login,
    login_as,
    pending,
)

USER = 501_000_001
OTHER_USER = 501_000_002


async def test_login_without_consent_is_refused(store: Database, service: SignInService) -> None:
    await add_account(store, USER, consented_at=None)
    async with store.unit_of_work() as session:
        assert await service.start_login(session, USER) == ConsentRequired()
        assert await service.start_login(session, OTHER_USER) == ConsentRequired()


async def test_consent_to_an_older_version_is_not_enough(
    store: Database, policy: SignInPolicy
) -> None:
    await add_account(store, USER, consent_version="1")
    async with store.unit_of_work() as session:
        assert (
            await SignInService(policy, consent_version="2").start_login(session, USER)
            == ConsentRequired()
        )
        assert await SignInService(policy, consent_version="1").start_login(
            session, USER
        ) == Prompt(Flow.LOGIN, Step.AWAIT_ID)


async def test_successful_login_links_the_account(
    store: Database, service: SignInService, clock: FakeClock
) -> None:
    person = await add_person(store)
    await add_account(store, USER)

    result = await login_as(store, service, USER, person)

    assert result == SignedIn(person.citizen_id, clock.now + timedelta(days=30), displaced=None)
    assert await link_of(store, service, USER) == person.citizen_id
    async with store.unit_of_work() as session:
        account = await session.get(TelegramAccount, USER)
        assert account is not None
        assert (account.citizen_id, account.linked_at) == (person.citizen_id, clock.now)
        assert account.link_expires_at == clock.now + timedelta(days=30)
        assert await session.get(ConversationState, USER) is None
    [attempt] = await attempts(store)
    assert attempt.succeeded and attempt.failed_factor is None
    assert (
        attempt.national_id_hash == identifier_hash(person.national_id, SALT) != person.national_id
    )
    sign_in = [row for row in await audit_rows(store) if row.action == "sign_in"]
    assert [(row.outcome, row.subject_citizen_id, row.actor_telegram_id) for row in sign_in] == [
        ("success", person.citizen_id, USER)
    ]


async def test_the_steps_ask_for_id_then_phone_then_birth_date(
    store: Database, service: SignInService
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    async with store.unit_of_work() as session:
        assert await service.start_login(session, USER) == Prompt(Flow.LOGIN, Step.AWAIT_ID)
        assert await service.submit_id(session, USER, " ".join(person.national_id)) == Prompt(
            Flow.LOGIN, Step.AWAIT_PHONE
        )
        phone_without_plus = person.phone.lstrip("+")
        assert await service.submit_contact(
            session, USER, phone=phone_without_plus, contact_user_id=USER, forwarded=False
        ) == Prompt(Flow.LOGIN, Step.AWAIT_BIRTHDATE)
        result = await service.submit_birthdate(session, USER, person.birth_date.isoformat())
    assert isinstance(result, SignedIn)


async def test_phone_stored_in_national_form_still_matches(
    store: Database, service: SignInService
) -> None:
    person = await add_person(store, phones=["0912 345 678"])
    await add_account(store, USER)
    result = await login(
        store,
        service,
        USER,
        national_id=person.national_id,
        phone="84912345678",
        birth_text=person.birth_text,
    )
    assert isinstance(result, SignedIn)


async def test_wrong_birth_date_fails_generically(store: Database, service: SignInService) -> None:
    person = await add_person(store, birth_date=date(1985, 3, 14))
    await add_account(store, USER)

    result = await login(
        store,
        service,
        USER,
        national_id=person.national_id,
        phone=person.phone,
        birth_text="15/03/1985",
    )

    assert result == SignInFailed(retry_at=None, alert_owner=None)
    assert await link_of(store, service, USER) == "not_linked"
    [attempt] = await attempts(store)
    assert (attempt.succeeded, attempt.failed_factor) == (False, "birth_date")
    failure = (await audit_rows(store))[-1]
    assert (failure.action, failure.outcome, failure.subject_citizen_id) == (
        "sign_in",
        "failure",
        person.citizen_id,
    )
    assert failure.detail is not None and "birth_date" in failure.detail
    assert person.national_id not in failure.detail and person.national_id[-4:] in failure.detail
    assert await pending(store, service, USER) is None


async def test_wrong_phone_fails_generically(store: Database, service: SignInService) -> None:
    person = await add_person(store)
    await add_account(store, USER)

    result = await login(
        store,
        service,
        USER,
        national_id=person.national_id,
        phone="+84987654321",
        birth_text=person.birth_text,
    )

    assert result == SignInFailed(retry_at=None, alert_owner=None)
    [attempt] = await attempts(store)
    assert attempt.failed_factor == "phone"


async def test_unknown_id_gives_the_same_outcome_as_a_wrong_factor(
    store: Database, service: SignInService
) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await add_account(store, OTHER_USER)
    unknown_id = cccd_for(person.birth_date, serial=999_999)

    wrong_factor = await login(
        store,
        service,
        USER,
        national_id=person.national_id,
        phone="+84987654321",
        birth_text=person.birth_text,
    )
    unknown = await login(
        store,
        service,
        OTHER_USER,
        national_id=unknown_id,
        phone=person.phone,
        birth_text=person.birth_text,
    )

    assert unknown == wrong_factor == SignInFailed(retry_at=None, alert_owner=None)
    assert [attempt.failed_factor for attempt in await attempts(store)] == ["phone", "national_id"]
    unknown_audit = (await audit_rows(store))[-1]
    assert unknown_audit.subject_citizen_id is None
    assert unknown_audit.detail is not None and "national_id" in unknown_audit.detail


async def test_deceased_citizen_cannot_sign_in(store: Database, service: SignInService) -> None:
    person = await add_person(store, deceased_at=datetime(2025, 5, 1, tzinfo=UTC))
    await add_account(store, USER)
    assert await login_as(store, service, USER, person) == SignInFailed(
        retry_at=None, alert_owner=None
    )
    assert [attempt.failed_factor for attempt in await attempts(store)] == ["deceased"]


async def test_no_raw_id_is_stored_for_throttling(store: Database, service: SignInService) -> None:
    person = await add_person(store)
    await add_account(store, USER)
    await login(
        store,
        service,
        USER,
        national_id=person.national_id,
        phone="+84987654321",
        birth_text=person.birth_text,
    )
    async with store.unit_of_work() as session:
        hashes = list(await session.scalars(select(SignInAttempt.national_id_hash)))
    assert hashes == [identifier_hash(person.national_id, SALT)]
    assert all(person.national_id not in value for value in hashes)
