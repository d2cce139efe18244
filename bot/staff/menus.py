"""Keeping each staff member's private command menu in step with their status."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy import select

from bot.broadcast.transport import ResultKind, Transport
from bot.db.models import TelegramAccount
from bot.db.session import Database
from bot.i18n import resolve_locale
from bot.staff.members import StaffView, mark_menu_synced, menus_to_sync

logger = logging.getLogger(__name__)
CommandsFor = Callable[[StaffView, str], Sequence[tuple[str, str]]]


async def sync_staff_menus(
    database: Database, transport: Transport, commands_for: CommandsFor
) -> int:
    """Set the menu of newly bound staff and remove revoked staff's; returns how many changed."""
    async with database.unit_of_work() as session:
        pending = await menus_to_sync(session)
        languages = {
            row.telegram_user_id: resolve_locale(row.language, row.telegram_language_code)
            for row in await session.scalars(
                select(TelegramAccount).where(
                    TelegramAccount.telegram_user_id.in_(
                        [s.telegram_user_id for s in pending if s.telegram_user_id]
                    )
                )
            )
        }
    changed = 0
    for staff in pending:
        assert staff.chat_id is not None
        if staff.active:
            locale = languages.get(staff.telegram_user_id or 0, "vi")
            result = await transport.set_chat_commands(staff.chat_id, commands_for(staff, locale))
        else:
            result = await transport.delete_chat_commands(staff.chat_id)
        if result.kind in (ResultKind.TRANSIENT, ResultKind.RATE_LIMITED):
            logger.warning("staff %s: menu not updated yet (%s)", staff.id, result.kind.value)
            continue
        async with database.unit_of_work() as session:
            await mark_menu_synced(session, staff.id)
        changed += 1
    return changed
