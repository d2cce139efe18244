"""Every audience kind, and who is never reached: no consent, deleted data, deceased, expired link, muted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.broadcast.audience import (
    Audience,
    AudienceError,
    AudienceKind,
    age_band,
    condition_prefix,
    parse_cli_audience,
)
from bot.broadcast.kinds import Unreachable
from bot.broadcast.recipients import AudiencePlan, districts_with_users, resolve
from bot.db.session import Database
from tests.broadcast.support import NOW, TODAY, add_condition, linked_citizen
from tests.factories import make_account, make_citizen


async def _resolve(db: Database, audience: Audience, include_muted: bool = False) -> AudiencePlan:
    async with db.unit_of_work() as session:
        return await resolve(session, audience, now=NOW, today=TODAY, include_muted=include_muted)


def _users(plan: AudiencePlan) -> set[int]:
    return {recipient.telegram_user_id for recipient in plan.recipients}


async def test_everyone_linked_excludes_the_unconsented_deleted_deceased_and_expired(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        await linked_citizen(session, 1, district="Cái Nước")
        await linked_citizen(session, 2, account={"consented_at": None})
        await make_citizen(session)  # no Telegram account at all
        await make_account(
            session, 3
        )  # consented but never linked (or data deleted: citizen link cleared)
        await linked_citizen(session, 4, deceased_at=NOW - timedelta(days=3))
        await linked_citizen(session, 5, account={"link_expires_at": NOW - timedelta(minutes=1)})
        await linked_citizen(
            session,
            6,
            account={
                "link_expires_at": NOW + timedelta(days=1),
                "language": None,
                "telegram_language_code": "km-KH",
            },
        )
    plan = await _resolve(db, Audience(AudienceKind.ALL))
    assert _users(plan) == {1, 6}
    assert {r.telegram_user_id: r.locale for r in plan.recipients} == {1: "vi", 6: "km"}
    assert plan.unreached == [] and plan.muted == 0


async def test_district_and_commune_match_ignoring_accents_case_and_prefix(db: Database) -> None:
    async with db.unit_of_work() as session:
        await linked_citizen(session, 1, district="Huyện Cái Nước", commune="Xã Tân Hưng")
        await linked_citizen(session, 2, district="Huyện Cái Nước", commune="Xã Phú Hưng")
        await linked_citizen(session, 3, district="Thành phố Cà Mau", commune="Xã Tân Hưng")
        await linked_citizen(session, 4, district="Thành phố Cà Mau", commune="Phường 5")
        districts = await districts_with_users(session, NOW)
    assert districts == [("Huyện Cái Nước", 2), ("Thành phố Cà Mau", 2)]
    assert _users(await _resolve(db, parse_cli_audience("district=cai nuoc"))) == {1, 2}
    assert _users(await _resolve(db, parse_cli_audience("commune=Tân Hưng"))) == {1, 3}
    assert _users(await _resolve(db, parse_cli_audience("commune=Cà Mau/tan hung"))) == {3}
    assert _users(await _resolve(db, parse_cli_audience("district=Nowhere"))) == set()


async def test_age_band_is_inclusive_on_both_ends(db: Database) -> None:
    async with db.unit_of_work() as session:
        await linked_citizen(session, 1, birth_date=date(1966, 11, 26))  # 60 today
        await linked_citizen(session, 2, birth_date=date(1966, 11, 27))  # 59 until tomorrow
        await linked_citizen(session, 3, birth_date=date(1946, 11, 27))  # 79, 80 tomorrow
        await linked_citizen(session, 4, birth_date=date(1946, 11, 26))  # 80 today
        unknown_age = await linked_citizen(session, 5)
        unknown_age.birth_date = None
    assert _users(await _resolve(db, age_band("60-79"))) == {1, 3}
    assert _users(await _resolve(db, age_band("60+"))) == {1, 3, 4}
    assert _users(await _resolve(db, age_band("59"))) == {2}


async def test_condition_prefix_matches_active_conditions_with_or_without_dots(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        diabetic = await linked_citizen(session, 1)
        await add_condition(session, diabetic, "E11.9")
        dotted_less = await linked_citizen(session, 2)
        await add_condition(session, dotted_less, "e119", status=None)
        resolved = await linked_citizen(session, 3)
        await add_condition(session, resolved, "E11.65", status="resolved")
        hypertensive = await linked_citizen(session, 4)
        await add_condition(session, hypertensive, "I10")
        await add_condition(session, hypertensive, "E11")  # two conditions, one message
    assert _users(await _resolve(db, condition_prefix("E11"))) == {1, 2, 4}
    assert _users(await _resolve(db, condition_prefix("e11.9"))) == {1, 2}
    plan = await _resolve(db, condition_prefix("E11"))
    assert len(plan.recipients) == 3


async def test_cccd_list_separates_reachable_unlinked_unknown_and_blocked(db: Database) -> None:
    async with db.unit_of_work() as session:
        reachable = await linked_citizen(session, 1)
        blocked = await linked_citizen(session, 2, account={"blocked_at": NOW})
        unlinked = await make_citizen(session)
        unconsented = await linked_citizen(session, 3, account={"consented_at": None})
    listed = (
        reachable.national_id,
        unlinked.national_id,
        "096185000999",
        blocked.national_id,
        unconsented.national_id,
        reachable.national_id,
    )
    plan = await _resolve(
        db, Audience(AudienceKind.CCCD, national_ids=tuple(n or "" for n in listed))
    )
    assert [(r.telegram_user_id, r.national_id) for r in plan.recipients] == [
        (1, reachable.national_id)
    ]
    reasons = {u.national_id: u.reason for u in plan.unreached}
    assert reasons == {
        unlinked.national_id: Unreachable.NOT_LINKED,
        "096185000999": Unreachable.NOT_FOUND,
        blocked.national_id: Unreachable.BLOCKED,
        unconsented.national_id: Unreachable.NOT_LINKED,
    }


async def test_muted_users_are_counted_but_skipped_unless_the_message_must_reach_everyone(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        await linked_citizen(session, 1)
        await linked_citizen(session, 2, account={"notices_muted": True})
    general = await _resolve(db, Audience(AudienceKind.ALL))
    assert _users(general) == {1} and general.muted == 1
    alert = await _resolve(db, Audience(AudienceKind.ALL), include_muted=True)
    assert _users(alert) == {1, 2} and alert.muted == 0


@pytest.mark.parametrize("text", ["", "abc", "80-60", "10-200", "-5"])
def test_bad_age_bands_are_refused(text: str) -> None:
    with pytest.raises(AudienceError):
        age_band(text)


@pytest.mark.parametrize("text", ["", "diabetes", "11E", "E11%", "E11.9.1"])
def test_bad_condition_codes_are_refused(text: str) -> None:
    with pytest.raises(AudienceError):
        condition_prefix(text)


@pytest.mark.parametrize("text", ["everyone", "district=", "province=Cà Mau", "age"])
def test_unknown_cli_audiences_are_refused(text: str) -> None:
    with pytest.raises(AudienceError):
        parse_cli_audience(text)


def test_audience_survives_its_json_form() -> None:
    for audience in (
        Audience(AudienceKind.ALL),
        Audience(AudienceKind.COMMUNE, place="Tân Hưng", district="Cái Nước"),
        age_band("5-11"),
        condition_prefix("J45"),
        Audience(AudienceKind.CCCD, national_ids=("096185000001", "096185000002")),
    ):
        assert Audience.from_json(audience.to_json()) == audience
