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
from bot.updates import PerUserUpdateProcessor, UpdateScope

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
        self.scope: UpdateScope | None = None

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]
    ) -> BotContext:
        """The context of an update, joined to the update's database scope when it has one."""
        context = super().from_update(update, application)
        processor = application.update_processor
        if isinstance(processor, PerUserUpdateProcessor):
            context.scope = processor.scope_of(update)
        return context

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

    def _shared_scope(self) -> UpdateScope | None:
        scope = self.scope
        return scope if scope is not None and not scope.closed and not scope.in_unit else None

    def _update_session(self, scope: UpdateScope) -> AsyncSession:
        if scope.session is None:
            scope.session = self.services.db.sessions()
        return scope.session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session to read in, nothing committed: the update's own when there is one.

        The handler's `unit_of_work` then continues that session, so the reads before it
        (account, sign-in state) cost no connection checkout and no transaction of their own.
        Outside an update (jobs) this is a short unit of work.
        """
        scope = self._shared_scope()
        if scope is None:
            async with self.unit_of_work() as session:
                yield session
            return
        yield self._update_session(scope)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One database transaction, committed at the end of the block, rolled back on error.

        During an update it continues the update's session, so the reads of the consent gate
        and sign-in guard and the handler's work share one connection and one transaction.
        """
        scope = self._shared_scope()
        if scope is None:
            async with self.services.db.unit_of_work() as session:
                yield session
            return
        session = self._update_session(scope)
        scope.in_unit = True
        try:
            yield session
            await self.services.db.commit(session)
        except BaseException:
            await session.rollback()
            raise
        finally:
            scope.in_unit = False
