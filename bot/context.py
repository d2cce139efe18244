"""The typed callback context: settings, database, clock and the user's translator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackContext, ExtBot

from bot.accounts import AccountView
from bot.clock import Clock
from bot.i18n import Translator
from bot.services import Services
from bot.settings import Settings

SERVICES_KEY = "services"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Per-update context; `prepare_update` fills `account` and `locale` before any handler."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.account: AccountView | None = None
        self.locale: str | None = None

    @property
    def services(self) -> Services:
        """The application's services."""
        services: Services = self.application.bot_data[SERVICES_KEY]
        return services

    @property
    def settings(self) -> Settings:
        """Validated settings."""
        return self.services.settings

    @property
    def clock(self) -> Clock:
        """The (injectable) clock."""
        return self.services.clock

    @property
    def t(self) -> Translator:
        """Translator for this update's user."""
        return self.services.catalogs.get(self.locale)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One database transaction."""
        async with self.services.db.unit_of_work() as session:
            yield session
