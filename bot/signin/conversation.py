"""The sign-in flows' progress, kept in `conversation_states` so a restart loses nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ConversationState
from bot.signin.results import Flow, Prompt, Step

SIGN_IN_FLOWS = frozenset(flow.value for flow in Flow)


@dataclass(frozen=True)
class Progress:
    """Where a user's sign-in stands and what was entered so far."""

    flow: Flow
    step: Step
    data: dict[str, str] = field(default_factory=dict)

    @property
    def prompt(self) -> Prompt:
        """The question this progress waits on."""
        return Prompt(self.flow, self.step)


async def load(
    session: AsyncSession, telegram_user_id: int, now: datetime, abandon_after: timedelta
) -> Progress | None:
    """The user's sign-in in progress; one untouched for `abandon_after` is deleted instead.

    Another feature's conversation in the same row is not a sign-in and gives None.
    """
    state = await session.get(ConversationState, telegram_user_id)
    if state is None or state.flow not in SIGN_IN_FLOWS:
        return None
    if state.updated_at + abandon_after <= now:
        await session.delete(state)
        await session.flush()
        return None
    return Progress(Flow(state.flow), Step(state.step), {k: str(v) for k, v in state.data.items()})


async def save(
    session: AsyncSession, telegram_user_id: int, progress: Progress, now: datetime
) -> None:
    """Store the progress, replacing whatever conversation the user was in."""
    state = await session.get(ConversationState, telegram_user_id)
    if state is None:
        state = ConversationState(telegram_user_id=telegram_user_id)
        session.add(state)
    state.flow = progress.flow.value
    state.step = progress.step.value
    state.data = dict(progress.data)
    state.updated_at = now
    await session.flush()


async def clear(session: AsyncSession, telegram_user_id: int) -> bool:
    """Forget the user's sign-in in progress (and the ID it holds); True if there was one."""
    state = await session.get(ConversationState, telegram_user_id)
    if state is None or state.flow not in SIGN_IN_FLOWS:
        return False
    await session.delete(state)
    await session.flush()
    return True


async def purge_abandoned(session: AsyncSession, now: datetime, abandon_after: timedelta) -> int:
    """Delete sign-ins left unfinished for `abandon_after` (a periodic job); how many."""
    result = await session.execute(
        delete(ConversationState).where(
            ConversationState.flow.in_(SIGN_IN_FLOWS),
            ConversationState.updated_at <= now - abandon_after,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
