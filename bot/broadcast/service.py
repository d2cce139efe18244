"""Creating a broadcast into the durable outbox, cancelling it, and reading its progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.audience import Audience, AudienceKind
from bot.broadcast.compose import compose
from bot.broadcast.kinds import BroadcastKind, BroadcastStatus, DeliveryStatus
from bot.broadcast.recipients import AudiencePlan, resolve
from bot.broadcast.templates import get_template
from bot.db.models import Broadcast, BroadcastDelivery
from bot.i18n import Catalogs
from bot.staff.audit import audit
from bot.staff.members import StaffView
from bot.staff.roles import Permission

RATE_WINDOW = timedelta(seconds=10)
_INSERT_BATCH = 1000


class BroadcastRefusedError(ValueError):
    """A broadcast that may not be created or changed as asked."""


@dataclass(frozen=True)
class Draft:
    """Everything staff chose; `params` hold stored forms (ISO dates, formatted phones)."""

    template: str
    audience: Audience
    params: dict[str, str] = field(default_factory=dict)
    free_text: str | None = None
    urgent: bool = False
    scheduled_at: datetime | None = None


@dataclass(frozen=True)
class Preview:
    """What would be sent: the message in every language and who would get it."""

    kind: BroadcastKind
    content: dict[str, dict[str, Any]]
    plan: AudiencePlan


@dataclass(frozen=True)
class Actor:
    """Who creates or changes a broadcast: a staff member in the bot, or the command line."""

    via: str  # "bot" or "cli"
    staff: StaffView | None = None

    @property
    def kind(self) -> str:
        """The audit actor kind."""
        return "staff" if self.staff else "operator"

    @property
    def telegram_id(self) -> int | None:
        """The staff member's Telegram id, if any."""
        return self.staff.telegram_user_id if self.staff else None

    def may(self, permission: Permission) -> bool:
        """The command line may do anything; staff what their role grants."""
        return self.staff is None or self.staff.can(permission)


@dataclass(frozen=True)
class Progress:
    """Counts of a broadcast's deliveries and its current sending rate."""

    broadcast_id: int
    kind: BroadcastKind
    status: BroadcastStatus
    total: int
    sent: int
    failed: int
    unreachable: int
    pending: int
    cancelled: int
    rate_per_second: float
    created_at: datetime
    scheduled_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        """True once nothing more will be sent."""
        return self.status in (BroadcastStatus.DONE, BroadcastStatus.CANCELLED) and not self.pending


def permission_for(kind: BroadcastKind) -> Permission:
    """What a staff member needs to send a broadcast of this kind."""
    return Permission.SEND_NOTICE if kind is BroadcastKind.NOTICE else Permission.SEND_ALERT


async def preview(
    session: AsyncSession, draft: Draft, *, now: datetime, today: date, catalogs: Catalogs
) -> Preview:
    """Compose the message in every language and resolve the audience, without writing anything."""
    template = get_template(draft.template)
    if (
        template.kind is BroadcastKind.CONTACT_ALERT
        and draft.audience.kind is not AudienceKind.CCCD
    ):
        raise BroadcastRefusedError("a contact alert goes to a list of CCCD numbers")
    content = compose(template, draft.params, draft.free_text, draft.urgent, catalogs)
    plan = await resolve(
        session,
        draft.audience,
        now=now,
        today=today,
        include_muted=template.kind.is_alert or draft.urgent,
        default_locale=catalogs.default,
    )
    return Preview(template.kind, content, plan)


async def create(
    session: AsyncSession,
    draft: Draft,
    actor: Actor,
    *,
    now: datetime,
    today: date,
    catalogs: Catalogs,
    progress_chat: tuple[int, str] | None = None,
) -> tuple[int, Preview]:
    """Write the broadcast and one outbox row per recipient; the sender delivers from there."""
    shown = await preview(session, draft, now=now, today=today, catalogs=catalogs)
    if not actor.may(permission_for(shown.kind)):
        raise PermissionError("this role may not send this kind of broadcast")
    scheduled = draft.scheduled_at is not None and draft.scheduled_at > now
    row = Broadcast(
        kind=shown.kind.value,
        template=draft.template,
        params=dict(draft.params),
        free_text=draft.free_text,
        audience=draft.audience.to_json(),
        content=shown.content,
        urgent=draft.urgent,
        status=(BroadcastStatus.SCHEDULED if scheduled else BroadcastStatus.SENDING).value,
        total=shown.plan.size + len(shown.plan.unreached),
        created_by_staff_id=actor.staff.id if actor.staff else None,
        created_via=actor.via,
        created_at=now,
        scheduled_at=draft.scheduled_at if scheduled else None,
        started_at=None if scheduled else now,
        progress_chat_id=progress_chat[0] if progress_chat else None,
        progress_locale=progress_chat[1] if progress_chat else None,
        report_sent=False,
    )
    session.add(row)
    await session.flush()
    first_attempt = draft.scheduled_at if scheduled else now
    rows: list[dict[str, Any]] = [
        {
            "broadcast_id": row.id,
            "citizen_id": r.citizen_id,
            "telegram_user_id": r.telegram_user_id,
            "chat_id": r.chat_id,
            "national_id": r.national_id,
            "locale": r.locale,
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": first_attempt,
        }
        for r in shown.plan.recipients
    ]
    rows += [
        {
            "broadcast_id": row.id,
            "citizen_id": u.citizen_id,
            "telegram_user_id": None,
            "chat_id": None,
            "national_id": u.national_id,
            "locale": catalogs.default,
            "status": DeliveryStatus.UNREACHABLE.value,
            "reason": u.reason.value,
            "attempts": 0,
        }
        for u in shown.plan.unreached
    ]
    for start in range(0, len(rows), _INSERT_BATCH):
        await session.execute(insert(BroadcastDelivery), rows[start : start + _INSERT_BATCH])
    if not shown.plan.recipients and not scheduled:
        row.status, row.finished_at = BroadcastStatus.DONE.value, now
    await audit(
        session,
        at=now,
        actor_kind=actor.kind,
        actor_telegram_id=actor.telegram_id,
        action=f"broadcast.create.{shown.kind.value}",
        outcome="ok",
        detail=(
            f"broadcast={row.id} template={draft.template} audience={draft.audience.kind.value} "
            f"recipients={shown.plan.size} unreachable={len(shown.plan.unreached)} "
            f"urgent={draft.urgent} scheduled={scheduled}"
        ),
    )
    return row.id, shown


async def set_progress_message(session: AsyncSession, broadcast_id: int, message_id: int) -> None:
    """Remember the staff chat message that shows the progress, to edit it in place."""
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id).values(progress_message_id=message_id)
    )


class CancelOutcome(StrEnum):
    """The result of a cancel request."""

    CANCELLED = "cancelled"
    ALREADY_FINISHED = "already_finished"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"


async def cancel(
    session: AsyncSession, broadcast_id: int, actor: Actor, *, now: datetime
) -> CancelOutcome:
    """Stop a scheduled or running broadcast: pending messages stay unsent, in-flight ones finish."""
    row = await session.get(Broadcast, broadcast_id)
    if row is None:
        return CancelOutcome.NOT_FOUND
    own = actor.staff is not None and row.created_by_staff_id == actor.staff.id
    if actor.staff is not None and not (
        actor.may(Permission.MANAGE_STAFF)
        or (own and actor.may(permission_for(BroadcastKind(row.kind))))
    ):
        return CancelOutcome.NOT_ALLOWED
    if row.status not in (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING):
        return CancelOutcome.ALREADY_FINISHED
    row.status, row.cancelled_at, row.finished_at = BroadcastStatus.CANCELLED.value, now, now
    await session.execute(
        update(BroadcastDelivery)
        .where(
            BroadcastDelivery.broadcast_id == broadcast_id,
            BroadcastDelivery.status == DeliveryStatus.PENDING.value,
        )
        .values(status=DeliveryStatus.CANCELLED.value)
    )
    await audit(
        session,
        at=now,
        actor_kind=actor.kind,
        actor_telegram_id=actor.telegram_id,
        action="broadcast.cancel",
        outcome="ok",
        detail=f"broadcast={broadcast_id}",
    )
    return CancelOutcome.CANCELLED


async def progress(session: AsyncSession, broadcast_id: int, now: datetime) -> Progress | None:
    """Counts by delivery status and the number sent per second over the last ten seconds."""
    row = await session.get(Broadcast, broadcast_id, populate_existing=True)
    if row is None:
        return None
    counts = dict(
        (status, count)
        for status, count in await session.execute(
            select(BroadcastDelivery.status, func.count())
            .where(BroadcastDelivery.broadcast_id == broadcast_id)
            .group_by(BroadcastDelivery.status)
        )
    )
    recent = await session.scalar(
        select(func.count()).where(
            BroadcastDelivery.broadcast_id == broadcast_id,
            BroadcastDelivery.sent_at > now - RATE_WINDOW,
        )
    )
    return Progress(
        broadcast_id=row.id,
        kind=BroadcastKind(row.kind),
        status=BroadcastStatus(row.status),
        total=row.total,
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        unreachable=counts.get(DeliveryStatus.UNREACHABLE, 0),
        pending=counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0),
        cancelled=counts.get(DeliveryStatus.CANCELLED, 0),
        rate_per_second=(recent or 0) / RATE_WINDOW.total_seconds(),
        created_at=row.created_at,
        scheduled_at=row.scheduled_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
