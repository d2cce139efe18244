"""One entry point for handlers: resolve whose record is shown, then read and audit each section.

    reader = await open_record(session, telegram_user_id=..., citizen_id=account.citizen_id,
                               acting_for=account.acting_for_citizen_id, now=now)
    summary = await reader.summary()

`open_record` raises `AccessRefusedError` (audited) when the account acts for someone it may
not see any more, for example a child who has turned 14; the handler then switches the
account back to its own record (`family.switch_to_self`). Every section read is audited
with the guardian as the actor when a child's record is shown.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import Outcome
from bot.records.access import (
    AccessRefusedError,
    ChildItem,
    Section,
    SubjectCitizen,
    record_refusal,
    record_view,
    resolve_subject,
)
from bot.records.appointments import (
    AppointmentItem,
    AppointmentsOverview,
    CancelResult,
    appointments_overview,
    cancel_appointment,
    get_appointment,
)
from bot.records.common import Page
from bot.records.family import children_of
from bot.records.insurance import InsuranceOverview, insurance_overview
from bot.records.labs import ResultHistory, ResultItem, latest_results, result_history
from bot.records.medications import MedicationItem, medications_page
from bot.records.summary import RecordSummary, record_summary, record_summary_with_children
from bot.records.vaccinations import DiseaseVaccinations, vaccinations_by_disease
from bot.records.visits import VisitDetail, VisitItem, visit_detail, visits_page

T = TypeVar("T")


class RecordReader:
    """Reads one subject's record for one Telegram user, auditing every section it returns.

    Each section is read first and its audit entry added after it: the entries are written
    together when the unit of work commits (before the reply is sent), so on SQLite the write
    lock is taken at the end of the transaction, not for the whole read.
    """

    def __init__(
        self, session: AsyncSession, subject: SubjectCitizen, telegram_user_id: int, now: datetime
    ) -> None:
        self.session = session
        self.subject = subject
        self.telegram_user_id = telegram_user_id
        self.now = now

    async def _read(self, section: Section, reading: Awaitable[T], found: bool | None = None) -> T:
        """Run a read (not flushing entries added before), then add its audit entry.

        `found` None means "found unless the read returned None".
        """
        with self.session.no_autoflush:
            result = await reading
        seen = result is not None if found is None else found
        outcome = Outcome.SUCCESS if seen else Outcome.FAILURE
        record_view(
            self.session, self.subject, section, self.telegram_user_id, self.now, outcome=outcome
        )
        return result

    async def summary(self) -> RecordSummary | None:
        """The record summary (/record)."""
        reading = record_summary(self.session, self.subject.citizen_id, self.now)
        return await self._read(Section.RECORD, reading, found=True)

    async def summary_with_children(self) -> tuple[RecordSummary | None, tuple[ChildItem, ...]]:
        """The summary and, on the citizen's own record, their children (as `children`) in one read.

        Audited as `summary` and then `children` are; on a child's record, or when the citizen
        does not exist, there are no children and no family entry.
        """
        if self.subject.is_child:
            return await self.summary(), ()
        reading = record_summary_with_children(self.session, self.subject.citizen_id, self.now)
        found = await self._read(Section.RECORD, reading, found=True)
        if found is None:
            return None, ()
        summary, children = found
        record_view(self.session, self.subject, Section.FAMILY, self.telegram_user_id, self.now)
        return summary, children

    async def visits(self, page: int = 1) -> Page[VisitItem]:
        """A page of visits, newest first."""
        return await self._read(
            Section.VISITS, visits_page(self.session, self.subject.citizen_id, page)
        )

    async def visit(self, visit_id: int) -> VisitDetail | None:
        """One visit in detail; None when it is not this subject's."""
        return await self._read(
            Section.VISIT, visit_detail(self.session, self.subject.citizen_id, visit_id)
        )

    async def labs(self, page: int = 1) -> Page[ResultItem]:
        """The latest value of each test."""
        return await self._read(
            Section.LABS, latest_results(self.session, self.subject.citizen_id, page)
        )

    async def lab_history(self, observation_id: int) -> ResultHistory | None:
        """Every value of one test; None when the observation is not this subject's."""
        reading = result_history(self.session, self.subject.citizen_id, observation_id)
        return await self._read(Section.LAB_HISTORY, reading)

    async def vaccinations(self) -> tuple[DiseaseVaccinations, ...]:
        """Vaccinations grouped by disease."""
        reading = vaccinations_by_disease(self.session, self.subject.citizen_id)
        return await self._read(Section.VACCINATIONS, reading)

    async def medications(self, page: int = 1) -> Page[MedicationItem]:
        """Medicines, current first."""
        reading = medications_page(self.session, self.subject.citizen_id, page)
        return await self._read(Section.MEDICATIONS, reading)

    async def appointments(self) -> AppointmentsOverview:
        """Upcoming and recent appointments."""
        reading = appointments_overview(self.session, self.subject.citizen_id, self.now)
        return await self._read(Section.APPOINTMENTS, reading)

    async def appointment(self, appointment_id: int) -> AppointmentItem | None:
        """One appointment (to confirm a cancellation or make a calendar file)."""
        reading = get_appointment(self.session, self.subject.citizen_id, appointment_id)
        return await self._read(Section.APPOINTMENTS, reading)

    async def cancel(self, appointment_id: int) -> CancelResult:
        """Cancel an appointment (confirmed by the user); stored and audited."""
        return await cancel_appointment(
            self.session,
            self.subject.citizen_id,
            appointment_id,
            self.telegram_user_id,
            self.now,
            actor_citizen_id=self.subject.actor_citizen_id,
        )

    async def children(self) -> tuple[ChildItem, ...]:
        """The signed-in guardian's children under 14 (whoever's record is shown)."""
        own = SubjectCitizen(self.subject.actor_citizen_id, self.subject.actor_citizen_id)
        with self.session.no_autoflush:
            children = await children_of(self.session, own.citizen_id, self.now)
        record_view(self.session, own, Section.FAMILY, self.telegram_user_id, self.now)
        return children

    async def insurance(self) -> InsuranceOverview:
        """The insurance card and visits it paid for."""
        reading = insurance_overview(self.session, self.subject.citizen_id, self.now)
        return await self._read(Section.INSURANCE, reading)


async def open_record(
    session: AsyncSession,
    *,
    telegram_user_id: int,
    citizen_id: int,
    acting_for: int | None,
    now: datetime,
) -> RecordReader:
    """A reader of the signed-in citizen's own record or of their child's under 14.

    Raises:
        AccessRefusedError: `acting_for` names someone this citizen may not see (audited).
    """
    try:
        subject = await resolve_subject(session, citizen_id, acting_for, now)
    except AccessRefusedError as refused:
        await record_refusal(session, refused, telegram_user_id, now)
        raise
    return RecordReader(session, subject, telegram_user_id, now)
