"""Staff invitations, one-time binding, revocation and what each role may do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import AuditEntry
from bot.db.session import Database
from bot.staff import members
from bot.staff.members import BindOutcome, normalize_code
from bot.staff.roles import Permission, Role, can, permissions_of
from tests.broadcast.support import NOW

EXPECTED = {
    Role.NOTIFIER: {Permission.SEND_NOTICE, Permission.VIEW_BROADCASTS},
    Role.TRACER: {Permission.SEND_ALERT, Permission.VIEW_ALERTS, Permission.VIEW_BROADCASTS},
    Role.ADMIN: set(Permission),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_grants_exactly_its_permissions(role: Role) -> None:
    assert permissions_of(role) == EXPECTED[role]
    for permission in Permission:
        assert can(role, permission) is (permission in EXPECTED[role])


def test_unknown_role_grants_nothing() -> None:
    assert not can("superuser", Permission.SEND_NOTICE)
    assert permissions_of("superuser") == frozenset()


async def test_code_binds_once_within_24_hours(db: Database) -> None:
    async with db.unit_of_work() as session:
        invitation = await members.invite(session, name="  Lê  Thị Hoa ", role=Role.TRACER, now=NOW)
    assert invitation.staff.name == "Lê Thị Hoa"
    assert invitation.staff.invite_expires_at == NOW + timedelta(hours=24)
    typed = invitation.code.lower().replace("-", " ")  # retyped loosely
    async with db.unit_of_work() as session:
        outcome, staff = await members.bind(
            session, code=typed, telegram_user_id=501, chat_id=501, now=NOW + timedelta(hours=23)
        )
    assert outcome is BindOutcome.BOUND and staff is not None and staff.active
    async with db.unit_of_work() as session:
        again, _ = await members.bind(
            session, code=invitation.code, telegram_user_id=502, chat_id=502, now=NOW
        )
        found = await members.active_staff(session, 501)
        nobody = await members.active_staff(session, 502)
    assert again is BindOutcome.INVALID
    assert found is not None and found.role is Role.TRACER and found.can(Permission.SEND_ALERT)
    assert not found.can(Permission.SEND_NOTICE)
    assert nobody is None


async def test_expired_unknown_and_revoked_codes_are_refused_and_audited(db: Database) -> None:
    async with db.unit_of_work() as session:
        expired = await members.invite(session, name="A", role=Role.NOTIFIER, now=NOW)
        revoked = await members.invite(session, name="B", role=Role.ADMIN, now=NOW)
        await members.revoke(session, revoked.staff.id, now=NOW)
    attempts = [
        (expired.code, NOW + timedelta(hours=24, seconds=1)),
        (revoked.code, NOW),
        ("ABCD-EFGH-JKLM", NOW),
    ]
    for code, when in attempts:
        async with db.unit_of_work() as session:
            outcome, staff = await members.bind(
                session, code=code, telegram_user_id=600, chat_id=600, now=when
            )
        assert (outcome, staff) == (BindOutcome.INVALID, None)
    async with db.unit_of_work() as session:
        refused = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused"))
        )
        assert await members.active_staff(session, 600) is None
    assert len(refused) == 3 and {entry.action for entry in refused} == {"staff.bind"}


async def test_revocation_takes_effect_at_once_and_queues_menu_removal(db: Database) -> None:
    async with db.unit_of_work() as session:
        invitation = await members.invite(session, name="C", role=Role.ADMIN, now=NOW)
        await members.bind(
            session, code=invitation.code, telegram_user_id=700, chat_id=700, now=NOW
        )
        pending = await members.menus_to_sync(session)
        assert [staff.id for staff in pending] == [invitation.staff.id]
        await members.mark_menu_synced(session, invitation.staff.id)
        assert await members.menus_to_sync(session) == []
        revoked = await members.revoke(session, invitation.staff.id, now=NOW)
        assert revoked is not None and not revoked.active
        assert not revoked.can(Permission.VIEW_STATISTICS)
        assert await members.active_staff(session, 700) is None
        assert [staff.id for staff in await members.menus_to_sync(session)] == [invitation.staff.id]
        assert await members.revoke(session, 9999, now=NOW) is None


async def test_a_revoked_person_can_be_invited_again_and_an_active_one_keeps_their_role(
    db: Database,
) -> None:
    async with db.unit_of_work() as session:
        first = await members.invite(session, name="D", role=Role.NOTIFIER, now=NOW)
        await members.bind(session, code=first.code, telegram_user_id=800, chat_id=800, now=NOW)
        second = await members.invite(session, name="D", role=Role.TRACER, now=NOW)
        outcome, current = await members.bind(
            session, code=second.code, telegram_user_id=800, chat_id=800, now=NOW
        )
        assert (
            outcome is BindOutcome.ALREADY_STAFF
            and current is not None
            and current.role is Role.NOTIFIER
        )
        await members.revoke(session, first.staff.id, now=NOW)
        outcome, current = await members.bind(
            session, code=second.code, telegram_user_id=800, chat_id=800, now=NOW
        )
        assert outcome is BindOutcome.BOUND and current is not None and current.role is Role.TRACER
        listed = await members.list_staff(session)
    assert [(s.id, s.active) for s in listed] == [(first.staff.id, False), (second.staff.id, True)]


def test_codes_are_long_random_and_unambiguous() -> None:
    codes = {members.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(normalize_code(code)) == 12
        assert not set(normalize_code(code)) & set("01IO")
