"""Concurrent update processing that keeps each user's updates in order, one session per update."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseUpdateProcessor


class UpdateScope:
    """The database session of one update, opened on first use and closed when the update ends.

    The consent gate, the sign-in guard and the handler share it (see `BotContext.unit_of_work`),
    so an update checks out one connection and, as a rule, runs one transaction.
    """

    def __init__(self) -> None:
        self.session: AsyncSession | None = None
        self.closed = False
        self.in_unit = False

    async def close(self) -> None:
        """Roll back what was not committed and give the connection back to the pool."""
        self.closed = True
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()


def _sender_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Processes updates of different users concurrently, and one user's updates one by one."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._scopes: dict[int, UpdateScope] = {}

    def scope_of(self, update: object) -> UpdateScope | None:
        """The scope of an update being processed, if it is one of ours."""
        return self._scopes.get(id(update))

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update's handlers after earlier updates of the same user."""
        scope = self._scopes[id(update)] = UpdateScope()
        try:
            await self._in_order(update, coroutine)
        finally:
            del self._scopes[id(update)]
            await scope.close()

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _sender_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
