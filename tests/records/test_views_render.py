"""Every record view renders in every language: balanced HTML, within limits, routable buttons."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from sqlalchemy import select

from bot.db.models import AuditEntry
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.records.appointments import CancelOutcome
from bot.records.callbacks import parse_callback
from bot.records.reader import open_record
from bot.settings import SUPPORTED_LOCALES
from bot.views import (
    appointments,
    family,
    insurance,
    labs,
    medications,
    record,
    vaccinations,
    visits,
)
from bot.views.reply import Reply
from bot.views.split import telegram_length
from tests.factories import make_account
from tests.records.factories import (
    NOW,
    make_appointment,
    make_coverage,
    make_facility,
    make_rich_citizen,
)

ALLOWED_TAGS = {"b", "i", "code"}


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ALLOWED_TAGS, tag
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, tag


def check(replies: Reply | list[Reply]) -> None:
    """Balanced allowed tags, within Telegram's limit, every button's data ours."""
    for reply in replies if isinstance(replies, list) else [replies]:
        checker = _TagChecker()
        checker.feed(reply.text)
        checker.close()
        assert checker.open == []
        assert 0 < telegram_length(reply.text) <= 4096
        for row in reply.buttons:
            for button in row:
                assert button.label.strip()
                assert parse_callback(button.data) is not None, button.data


async def test_every_view_in_every_language(db: Database, catalogs: Catalogs) -> None:
    async with db.unit_of_work() as session:
        citizen = await make_rich_citizen(session, visits=40)
        await make_account(session, 31, citizen_id=citizen.id)
        hospital = await make_facility(session, "BV <Sản Nhi> & Co")
        appointment = await make_appointment(session, citizen, hospital, NOW + timedelta(days=2))
        await make_coverage(session, citizen, date(2026, 12, 20))
    async with db.unit_of_work() as session:
        reader = await open_record(
            session, telegram_user_id=31, citizen_id=citizen.id, acting_for=None, now=NOW
        )
        summary = await reader.summary()
        visit_page = await reader.visits(2)
        detail = await reader.visit(visit_page.items[0].visit_id)
        lab_page = await reader.labs(1)
        history = await reader.lab_history(lab_page.items[0].observation_id)
        doses = await reader.vaccinations()
        medicine = await reader.medications(2)
        overview = await reader.appointments()
        card = await reader.insurance()
        item = await reader.appointment(appointment.id)
        missing = await reader.visit(10**9)
        cancelled = await reader.cancel(appointment.id)
        kids = await reader.children()
        audited = list(
            await session.scalars(
                select(AuditEntry.outcome)
                .where(AuditEntry.action == "view")
                .order_by(AuditEntry.id)
            )
        )
    assert summary and detail and history and item and missing is None
    assert cancelled.outcome is CancelOutcome.CANCELLED
    assert audited == ["success"] * 10 + ["failure", "success"]  # every read, a missing visit too
    assert kids == ()
    for locale in SUPPORTED_LOCALES:
        t = catalogs.get(locale)
        check(record.record_summary(t, summary, has_children=True))
        check(visits.visits_page(t, visit_page))
        check(visits.visit_detail(t, detail))
        check(visits.visit_not_found(t))
        check(labs.labs_page(t, lab_page))
        check(labs.lab_history(t, history))
        check(labs.lab_not_found(t))
        check(vaccinations.vaccinations(t, doses))
        check(medications.medications_page(t, medicine))
        check(appointments.appointments(t, overview, NOW))
        check(appointments.cancel_confirmation(t, item))
        check(appointments.cancel_result(t, cancelled))
        check(appointments.appointment_not_found(t))
        check(insurance.insurance(t, card))
        check(family.children(t, (), acting_for_child=True))
        check(family.refused(t))
        check(family.back_to_own(t))
        check(record.not_found(t))
