"""Resolving an audience to the Telegram accounts that may receive a broadcast."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast.audience import Audience, AudienceKind, place_key
from bot.broadcast.kinds import Unreachable
from bot.db.models import Citizen, Condition, TelegramAccount
from bot.i18n import resolve_locale

INACTIVE_CONDITION_STATUSES = ("resolved", "inactive", "entered-in-error", "refuted")
_CHUNK = 500


@dataclass(frozen=True)
class Recipient:
    """A linked, consenting citizen's Telegram chat and language."""

    citizen_id: int
    telegram_user_id: int
    chat_id: int
    locale: str
    national_id: str | None = None


@dataclass(frozen=True)
class Unreached:
    """A listed person the bot cannot reach; staff phone them instead."""

    national_id: str | None
    citizen_id: int | None
    reason: Unreachable


@dataclass
class AudiencePlan:
    """Who gets the broadcast, who muted general notices, and who cannot be reached."""

    recipients: list[Recipient] = field(default_factory=list)
    muted: int = 0
    unreached: list[Unreached] = field(default_factory=list)

    @property
    def size(self) -> int:
        """How many messages will be sent."""
        return len(self.recipients)


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


async def matching_places(session: AsyncSession, column: Any, typed: str) -> list[str]:
    """Stored district or commune names that match the typed one, ignoring accents and case."""
    wanted = place_key(typed)
    names = await session.scalars(select(column).where(column.is_not(None)).distinct())
    return sorted(name for name in names if place_key(name) == wanted)


async def _area_filter(session: AsyncSession, audience: Audience, today: date) -> Any:
    if audience.kind is AudienceKind.ALL:
        return None
    if audience.kind is AudienceKind.DISTRICT:
        return Citizen.district.in_(
            await matching_places(session, Citizen.district, audience.place or "")
        )
    if audience.kind is AudienceKind.COMMUNE:
        communes = await matching_places(session, Citizen.commune, audience.place or "")
        clause: Any = Citizen.commune.in_(communes)
        if audience.district:
            districts = await matching_places(session, Citizen.district, audience.district)
            clause = and_(clause, Citizen.district.in_(districts))
        return clause
    if audience.kind is AudienceKind.AGE:
        low, high = audience.min_age or 0, audience.max_age or 0
        return and_(
            Citizen.birth_date <= years_before(today, low),
            Citizen.birth_date > years_before(today, high + 1),
        )
    if audience.kind is AudienceKind.CONDITION:
        code = func.replace(func.upper(Condition.code), ".", "")
        return exists().where(
            Condition.citizen_id == Citizen.id,
            code.like(f"{audience.condition_prefix}%"),
            or_(
                Condition.clinical_status.is_(None),
                Condition.clinical_status.not_in(INACTIVE_CONDITION_STATUSES),
            ),
        )
    raise ValueError(f"not an area audience: {audience.kind}")


def _reachable(now: datetime) -> Any:
    return and_(
        TelegramAccount.consented_at.is_not(None),
        or_(TelegramAccount.link_expires_at.is_(None), TelegramAccount.link_expires_at > now),
        Citizen.deceased_at.is_(None),
    )


def _accounts_query() -> Select[*tuple[Any, ...]]:
    return select(
        Citizen.id,
        Citizen.national_id,
        TelegramAccount.telegram_user_id,
        TelegramAccount.chat_id,
        TelegramAccount.language,
        TelegramAccount.telegram_language_code,
        TelegramAccount.notices_muted,
        TelegramAccount.blocked_at,
    ).join(TelegramAccount, TelegramAccount.citizen_id == Citizen.id)


def _add(
    plan: AudiencePlan, row: Any, include_muted: bool, default_locale: str, listed: bool
) -> None:
    national_id = row.national_id if listed else None
    if row.blocked_at is not None:
        plan.unreached.append(Unreached(national_id, row.id, Unreachable.BLOCKED))
    elif row.notices_muted and not include_muted:
        plan.muted += 1
    else:
        locale = resolve_locale(row.language, row.telegram_language_code, default_locale)
        plan.recipients.append(
            Recipient(row.id, row.telegram_user_id, row.chat_id, locale, national_id)
        )


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def _resolve_listed(
    session: AsyncSession,
    audience: Audience,
    now: datetime,
    include_muted: bool,
    default_locale: str,
) -> AudiencePlan:
    plan = AudiencePlan()
    wanted = list(dict.fromkeys(audience.national_ids))
    known: dict[str, int] = {}
    reachable: set[str] = set()
    for chunk in _chunks(wanted):
        citizens = await session.execute(
            select(Citizen.national_id, Citizen.id).where(Citizen.national_id.in_(chunk))
        )
        known.update(
            {national_id: citizen_id for national_id, citizen_id in citizens if national_id}
        )
        rows = await session.execute(
            _accounts_query()
            .where(Citizen.national_id.in_(chunk), _reachable(now))
            .order_by(Citizen.id)
        )
        for row in rows:
            reachable.add(row.national_id)
            _add(plan, row, include_muted, default_locale, listed=True)
    for national_id in wanted:
        if national_id not in known:
            plan.unreached.append(Unreached(national_id, None, Unreachable.NOT_FOUND))
        elif national_id not in reachable:
            plan.unreached.append(
                Unreached(national_id, known[national_id], Unreachable.NOT_LINKED)
            )
    return plan


async def resolve(
    session: AsyncSession,
    audience: Audience,
    *,
    now: datetime,
    today: date,
    include_muted: bool,
    default_locale: str = "vi",
) -> AudiencePlan:
    """The recipients of an audience: linked and consenting, not deceased, link not expired.

    Args:
        session: An open unit of work.
        audience: The selection staff made.
        now: The current time (links expire).
        today: The local date, for age bands.
        include_muted: True for alerts and urgent notices, which reach muted users too.
        default_locale: Language for users who never chose one and whose Telegram language we lack.
    """
    if audience.kind is AudienceKind.CCCD:
        return await _resolve_listed(session, audience, now, include_muted, default_locale)
    plan = AudiencePlan()
    query = _accounts_query().where(_reachable(now)).order_by(Citizen.id)
    area = await _area_filter(session, audience, today)
    if area is not None:
        query = query.where(area)
    for row in await session.execute(query):
        _add(plan, row, include_muted, default_locale, listed=False)
    return plan


async def districts_with_users(session: AsyncSession, now: datetime) -> list[tuple[str, int]]:
    """Districts that have linked users, with how many, largest first (for staff's buttons)."""
    rows = await session.execute(
        select(Citizen.district, func.count())
        .join(TelegramAccount, TelegramAccount.citizen_id == Citizen.id)
        .where(_reachable(now), Citizen.district.is_not(None))
        .group_by(Citizen.district)
        .order_by(func.count().desc(), Citizen.district)
    )
    return [(district, count) for district, count in rows if district]
