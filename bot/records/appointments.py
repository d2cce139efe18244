"""Appointments: upcoming and recent ones, and cancelling one from the chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.reads import read_rows
from bot.audit.log import ActorKind, Outcome, record
from bot.db.models import Appointment, Facility
from bot.records.common import CITIZEN, Listing, among, citizen_param, not_among, prebuilt

BOOKED = "booked"
CANCELLED = "cancelled"
CANCELLABLE_STATUSES = ("booked", "pending", "proposed", "waitlist")
NOT_UPCOMING_STATUSES = ("cancelled", "entered-in-error", "noshow", "fulfilled")
NOW = "now"
UPCOMING_LIMIT = 10
PAST_LIMIT = 5
CANCEL_ACTION = "appointment_cancel"


@dataclass(frozen=True)
class AppointmentItem:
    """An appointment with the facility's name and address."""

    appointment_id: int
    status: str
    start: datetime
    end: datetime | None
    facility: str | None
    address: str | None
    department: str | None
    practitioner: str | None
    reason: str | None
    instructions: str | None
    cancelled_at: datetime | None

    def cancellable(self, now: datetime) -> bool:
        """True while it can still be cancelled from the chat."""
        return self.status in CANCELLABLE_STATUSES and self.start > now


@dataclass(frozen=True)
class AppointmentsOverview:
    """Upcoming appointments (soonest first) and the last past ones (newest first)."""

    upcoming: Listing[AppointmentItem]
    past: tuple[AppointmentItem, ...]


class CancelOutcome(StrEnum):
    """The result of a cancellation request."""

    CANCELLED = "cancelled"
    NOT_FOUND = "not_found"
    ALREADY_CANCELLED = "already_cancelled"
    IN_PAST = "in_past"
    NOT_CANCELLABLE = "not_cancellable"


@dataclass(frozen=True)
class CancelResult:
    """What happened, with the appointment as it is now (None when not found)."""

    outcome: CancelOutcome
    appointment: AppointmentItem | None


def appointment_select(*extra: Any) -> Any:
    """Appointment columns with the facility's name and address."""
    a = Appointment
    return select(
        a.id,
        a.status,
        a.start,
        a.end,
        Facility.name.label("facility"),
        Facility.address.label("address"),
        a.department,
        a.practitioner_name,
        a.reason,
        a.instructions,
        a.cancelled_at,
        *extra,
    ).outerjoin(Facility, Facility.id == a.facility_id)


def appointment_from_row(row: Any) -> AppointmentItem:
    """An AppointmentItem from a row selected with `appointment_select`."""
    return AppointmentItem(
        appointment_id=row.id,
        status=row.status,
        start=row.start,
        end=row.end,
        facility=row.facility,
        address=row.address,
        department=row.department,
        practitioner=row.practitioner_name,
        reason=row.reason,
        instructions=row.instructions,
        cancelled_at=row.cancelled_at,
    )


@prebuilt
def _upcoming_query() -> Any:
    return (
        appointment_select(func.count().over().label("total"))
        .where(
            Appointment.citizen_id == citizen_param(),
            Appointment.start >= bindparam(NOW),
            not_among(Appointment.status, NOT_UPCOMING_STATUSES),
        )
        .order_by(Appointment.start, Appointment.id)
        .limit(UPCOMING_LIMIT)
    )


@prebuilt
def _past_query() -> Any:
    return (
        appointment_select()
        .where(
            Appointment.citizen_id == citizen_param(),
            Appointment.start < bindparam(NOW),
            Appointment.status != "entered-in-error",
        )
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .limit(PAST_LIMIT)
    )


async def appointments_overview(
    session: AsyncSession, citizen_id: int, now: datetime
) -> AppointmentsOverview:
    """Upcoming appointments (not cancelled), soonest first, and the five latest past ones."""
    values = {CITIZEN: citizen_id, NOW: now}
    upcoming = (await read_rows(session, _upcoming_query(), values)).all()
    past = await read_rows(session, _past_query(), values)
    return AppointmentsOverview(
        upcoming=Listing(
            tuple(appointment_from_row(row) for row in upcoming),
            upcoming[0].total if upcoming else 0,
        ),
        past=tuple(appointment_from_row(row) for row in past),
    )


async def get_appointment(
    session: AsyncSession, citizen_id: int, appointment_id: int
) -> AppointmentItem | None:
    """One of the citizen's appointments; None when it is not theirs."""
    row = (
        await session.execute(
            appointment_select().where(
                Appointment.id == appointment_id, Appointment.citizen_id == citizen_id
            )
        )
    ).first()
    return appointment_from_row(row) if row is not None else None


def _refusal(appointment: AppointmentItem | None, now: datetime) -> CancelOutcome:
    if appointment is None:
        return CancelOutcome.NOT_FOUND
    if appointment.status == CANCELLED:
        return CancelOutcome.ALREADY_CANCELLED
    if appointment.start <= now:
        return CancelOutcome.IN_PAST
    return CancelOutcome.NOT_CANCELLABLE


async def cancel_appointment(
    session: AsyncSession,
    citizen_id: int,
    appointment_id: int,
    telegram_user_id: int,
    now: datetime,
    *,
    actor_citizen_id: int | None = None,
) -> CancelResult:
    """Cancel a future appointment of this citizen; refusals are typed and audited too.

    The update is conditional (owner, status and start time checked in the same statement),
    so two taps, or a tap racing an import, cannot cancel twice or cancel a past appointment.

    Args:
        session: The unit of work.
        citizen_id: Whose record is shown (the child's, when a guardian acts for a child).
        appointment_id: The appointment to cancel.
        telegram_user_id: Who tapped; stored as `cancelled_by_telegram_id`.
        now: The current time (aware UTC).
        actor_citizen_id: The signed-in citizen when it differs from `citizen_id` (a guardian).
    """
    changed = await session.execute(
        update(Appointment)
        .where(
            Appointment.id == appointment_id,
            Appointment.citizen_id == citizen_id,
            among(Appointment.status, CANCELLABLE_STATUSES),
            Appointment.start > now,
        )
        .values(status=CANCELLED, cancelled_at=now, cancelled_by_telegram_id=telegram_user_id)
        .execution_options(synchronize_session=False)
    )
    appointment = await get_appointment(session, citizen_id, appointment_id)
    outcome = CancelOutcome.CANCELLED if changed.rowcount == 1 else _refusal(appointment, now)  # type: ignore[attr-defined]
    await record(
        session,
        actor_kind=ActorKind.TELEGRAM_USER,
        action=CANCEL_ACTION,
        actor_telegram_id=telegram_user_id,
        actor_citizen_id=actor_citizen_id if actor_citizen_id is not None else citizen_id,
        subject_citizen_id=citizen_id,
        section="appointments",
        outcome=Outcome.SUCCESS if outcome is CancelOutcome.CANCELLED else Outcome.REFUSED,
        detail=f"appointment {appointment_id}: {outcome}",
        at=now,
    )
    return CancelResult(outcome, appointment)
