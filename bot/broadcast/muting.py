"""Citizens' switch for general notices; alerts and urgent notices always reach them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import ensure_account


async def set_notices_muted(
    session: AsyncSession, telegram_user_id: int, chat_id: int, muted: bool, now: datetime
) -> None:
    """Mute or unmute general notices for a Telegram user."""
    account = await ensure_account(session, telegram_user_id, chat_id, None, now)
    account.notices_muted = muted
