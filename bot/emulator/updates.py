"""A bot's queue of pending updates, with Telegram's offset confirmation and long polling."""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import POLL_CONFLICT, conflict

# Types delivered when allowed_updates is empty: Telegram leaves these three out unless asked for.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Telegram keeps an unconfirmed update for at most 24 hours.
UPDATE_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PendingUpdate:
    """An update not yet confirmed by the bot; `chat_key` keeps one chat's updates in order."""

    update_id: int
    kind: str
    payload: dict[str, Any]
    chat_key: int
    created_at: float

    def to_api(self) -> dict[str, Any]:
        """Return the Bot API Update object."""
        return {"update_id": self.update_id, self.kind: self.payload}


class UpdateQueue:
    """Pending updates of one bot; only one long poll may wait at a time, like on Telegram."""

    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._pending: list[PendingUpdate] = []
        self._next_update_id = 1
        self._poller: asyncio.Future[None] | None = None
        self.listeners: list[Callable[[], None]] = []
        self.allowed_updates: tuple[str, ...] = ()

    @property
    def pending(self) -> list[PendingUpdate]:
        """Return the unconfirmed updates younger than 24 hours, oldest first."""
        return self.oldest(len(self._pending))

    def oldest(self, count: int) -> list[PendingUpdate]:
        """Return up to `count` oldest unconfirmed updates, dropping those older than 24 hours."""
        oldest_kept = self._now() - UPDATE_LIFETIME_SECONDS
        expired = bisect.bisect_right(self._pending, oldest_kept, key=lambda update: update.created_at)
        del self._pending[:expired]
        return self._pending[:count]

    def accepts(self, kind: str) -> bool:
        """Return whether the bot's allowed_updates let an update of `kind` through."""
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in OPT_IN_UPDATE_TYPES

    def push(self, kind: str, payload: dict[str, Any], chat_key: int) -> PendingUpdate | None:
        """Queue an update; returns None when allowed_updates filters it out (Telegram drops it)."""
        if not self.accepts(kind):
            return None
        update = PendingUpdate(self._next_update_id, kind, payload, chat_key, self._now())
        self._next_update_id += 1
        self._pending.append(update)
        self._wake_poller()
        for listener in self.listeners:
            listener()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates the bot confirmed: ids below a positive offset, or all but the last -offset."""
        if offset > 0:
            del self._pending[: self._index_of(offset)]
        elif offset < 0:
            del self._pending[:offset]

    def take(self, limit: int) -> list[PendingUpdate]:
        """Return up to `limit` oldest pending updates without confirming them."""
        return self.oldest(limit)

    def remove(self, update: PendingUpdate) -> None:
        """Forget one update (delivered to a webhook)."""
        index = self._index_of(update.update_id)
        if index < len(self._pending) and self._pending[index].update_id == update.update_id:
            del self._pending[index]

    def _index_of(self, update_id: int) -> int:
        """Return where `update_id` is or would be (ids only grow, so the list is sorted by id)."""
        return bisect.bisect_left(self._pending, update_id, key=lambda update: update.update_id)

    def clear(self) -> None:
        """Drop every pending update (drop_pending_updates)."""
        self._pending.clear()

    async def long_poll(self, timeout: float) -> None:
        """Wait until an update arrives or `timeout` seconds pass.

        Raises:
            ApiError: 409 when a newer long poll or a webhook terminates this one.
        """
        self.abort_poll(POLL_CONFLICT)
        poller: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._poller = poller
        try:
            await asyncio.wait_for(poller, timeout)
        except TimeoutError:
            return
        finally:
            if self._poller is poller:
                self._poller = None

    def abort_poll(self, reason: str) -> None:
        """Make the waiting long poll, if any, fail with 409 Conflict and `reason`."""
        if self._poller is not None and not self._poller.done():
            self._poller.set_exception(conflict(reason))
        self._poller = None

    def release_poll(self) -> None:
        """Let the waiting long poll return now (used when the emulator stops)."""
        self._wake_poller()

    def _wake_poller(self) -> None:
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
