"""Family access: only one's own children under 14, every view audited under the guardian."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import AuditEntry, Guardianship, TelegramAccount
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.access import AccessRefusedError, resolve_subject
from bot.records.callbacks import Callback, CallbackAction, parse_callback
from bot.records.family import SwitchOutcome, children_of, switch_to_child, switch_to_self
from bot.records.reader import open_record
from bot.settings import SUPPORTED_LOCALES
from bot.views.family import children as render_children
from bot.views.family import switched
from bot.views.record import record_summary as render_summary
from tests.factories import make_account, make_citizen
from tests.records.factories import NOW, add, make_guardian_with_child, make_visit


async def test_only_own_children_under_14_by_birth_date(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        mother, young = await make_guardian_with_child(
            session, date(2021, 6, 1), full_name="Bé <Na>"
        )
        thirteen = await make_citizen(session, birth_date=date(2012, 11, 27))  # 14 tomorrow
        fourteen = await make_citizen(session, birth_date=date(2012, 11, 26))  # 14 today
        await add(
            session,
            Guardianship(guardian_id=mother.id, child_id=thirteen.id, relationship_code="MTH"),
            Guardianship(guardian_id=mother.id, child_id=fourteen.id, relationship_code="MTH"),
        )
        _, strangers_child = await make_guardian_with_child(session, date(2020, 1, 1))
        kids = await children_of(session, mother.id, NOW)
        assert [k.citizen_id for k in kids] == [young.id, thirteen.id]
        assert [k.age for k in kids] == [5, 13]
        assert (await resolve_subject(session, mother.id, None, NOW)).citizen_id == mother.id
        assert (await resolve_subject(session, mother.id, mother.id, NOW)).is_child is False
        subject = await resolve_subject(session, mother.id, young.id, NOW)
        assert (subject.citizen_id, subject.actor_citizen_id, subject.child_name) == (
            young.id,
            mother.id,
            "Bé <Na>",
        )
        for refused in (fourteen.id, strangers_child.id, 987_654):
            with pytest.raises(AccessRefusedError):
                await resolve_subject(session, mother.id, refused, NOW)
        with pytest.raises(AccessRefusedError):  # a child never sees the parent's record
            await resolve_subject(session, young.id, mother.id, NOW)
        # the day the child turns 14, access ends
        assert await children_of(session, mother.id, NOW + timedelta(days=1)) == (kids[0],)
    for locale in SUPPORTED_LOCALES:
        reply = render_children(catalogs.get(locale), kids)
        assert "Bé &lt;Na&gt;" in reply.text
        assert Callback(CallbackAction.SWITCH_TO_CHILD, young.id) in [
            parse_callback(b.data) for row in reply.buttons for b in row
        ]
    assert "No children under 14" in render_children(catalogs.get("en"), ()).text


async def test_switching_and_every_child_view_audited_under_the_guardian(
    db: Database, catalogs: Catalogs
) -> None:
    async with db.unit_of_work() as session:
        mother, child = await make_guardian_with_child(
            session, date(2020, 2, 29), full_name="Trần Bé"
        )
        _, other_child = await make_guardian_with_child(session, date(2019, 1, 1))
        await make_account(session, 77, citizen_id=mother.id)
        await make_visit(session, child, None, NOW - timedelta(days=1))
    async with db.unit_of_work() as session:
        refused = await switch_to_child(session, 77, mother.id, other_child.id, NOW)
        result = await switch_to_child(session, 77, mother.id, child.id, NOW)
    assert refused.outcome is SwitchOutcome.REFUSED
    assert result.outcome is SwitchOutcome.SWITCHED and result.child is not None
    assert "Trần Bé" in switched(catalogs.get("en"), result).text
    async with db.unit_of_work() as session:
        account = await session.get(TelegramAccount, 77)
        assert account is not None and account.acting_for_citizen_id == child.id
        reader = await open_record(
            session,
            telegram_user_id=77,
            citizen_id=mother.id,
            acting_for=account.acting_for_citizen_id,
            now=NOW,
        )
        summary = await reader.summary()
        visits = await reader.visits(1)
    assert summary is not None and summary.person.citizen_id == child.id and visits.total == 1
    text = render_summary(catalogs.get("en"), summary, subject=reader.subject, has_children=True)
    assert "record of your child <b>Trần Bé</b>" in text.text
    assert any(b.data == "fam:self" for row in text.buttons for b in row)
    assert not any(b.data == "fam:list" for row in text.buttons for b in row)
    async with db.unit_of_work() as session:
        with pytest.raises(AccessRefusedError):
            await open_record(
                session,
                telegram_user_id=77,
                citizen_id=mother.id,
                acting_for=other_child.id,
                now=NOW,
            )
    async with db.unit_of_work() as session:
        assert await switch_to_self(session, 77, mother.id)
        audit = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        account = await session.get(TelegramAccount, 77)
    assert account is not None and account.acting_for_citizen_id is None
    views = [
        (a.section, a.actor_citizen_id, a.subject_citizen_id, a.actor_telegram_id, a.outcome)
        for a in audit
        if a.action == "view"
    ]
    assert views == [
        ("record", mother.id, child.id, 77, "success"),
        ("visits", mother.id, child.id, 77, "success"),
        (None, mother.id, other_child.id, 77, "refused"),
    ]
    switches = [(a.subject_citizen_id, a.outcome) for a in audit if a.action == "switch_record"]
    assert switches == [(other_child.id, "refused"), (child.id, "success")]
