"""Delivery of updates to a bot's webhook, in order per chat, retried until the bot answers 2xx."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp

from bot.emulator.state import BotAccount, Clock, WebhookConfig
from bot.emulator.updates import PendingUpdate

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_RETRY_DELAY = 60.0
# Each scheduling pass looks at this many times max_connections of the oldest updates, keeping passes cheap.
SCHEDULING_WINDOW_FACTOR = 10


@dataclass(frozen=True)
class _Retry:
    due: float
    delay: float


class WebhookDispatcher:
    """POSTs pending updates to each bot's webhook URL; an update stays pending until a 2xx answer."""

    def __init__(
        self,
        clock: Clock,
        notify: Callable[[], None],
        retry_delay: float = 1.0,
        secure_only: bool = False,
        request_timeout: float = 10.0,
    ) -> None:
        self.clock = clock
        self._notify = notify
        self.retry_delay = retry_delay
        self.secure_only = secure_only
        self._request_timeout = request_timeout
        self._session: aiohttp.ClientSession | None = None
        self._tasks: dict[int, asyncio.Task[None]] = {}

    async def open(self) -> None:
        """Create the HTTP client used for deliveries."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._request_timeout))

    async def close(self) -> None:
        """Stop every delivery loop and close the HTTP client."""
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def restart(self, bot: BotAccount) -> None:
        """Follow a change of the bot's webhook: stop the old delivery loop, start one for the new URL."""
        old = self._tasks.pop(bot.id, None)
        if old is not None:
            old.cancel()
        if bot.webhook is not None:
            self._tasks[bot.id] = asyncio.create_task(self._run(bot, bot.webhook))

    async def _run(self, bot: BotAccount, config: WebhookConfig) -> None:
        wake = asyncio.Event()
        bot.updates.listeners.append(wake.set)
        in_flight: dict[int, asyncio.Task[None]] = {}
        retries: dict[int, _Retry] = {}
        loop = asyncio.get_running_loop()
        try:
            while True:
                wake.clear()
                next_retry = self._schedule(bot, config, in_flight, retries, wake)
                timeout = None if next_retry is None else max(0.0, next_retry - loop.time())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout)
        finally:
            bot.updates.listeners.remove(wake.set)
            for task in in_flight.values():
                task.cancel()
            await asyncio.gather(*in_flight.values(), return_exceptions=True)

    def _schedule(
        self,
        bot: BotAccount,
        config: WebhookConfig,
        in_flight: dict[int, asyncio.Task[None]],
        retries: dict[int, _Retry],
        wake: asyncio.Event,
    ) -> float | None:
        """Start deliveries of the oldest pending update of each idle chat; return the next retry time."""
        now = asyncio.get_running_loop().time()
        seen_chats: set[int] = set()
        next_retry: float | None = None
        for update in bot.updates.oldest(SCHEDULING_WINDOW_FACTOR * config.max_connections):
            if update.chat_key in seen_chats:
                continue
            seen_chats.add(update.chat_key)
            retry = retries.get(update.update_id)
            due = retry.due if retry is not None else 0.0
            if update.chat_key in in_flight:
                continue
            if due > now:
                next_retry = due if next_retry is None else min(next_retry, due)
                continue
            if len(in_flight) >= config.max_connections:
                break
            task = asyncio.create_task(self._deliver(bot, config, update, retries))
            in_flight[update.chat_key] = task
            task.add_done_callback(_release_chat(in_flight, update.chat_key, wake))
        return next_retry

    async def _deliver(
        self, bot: BotAccount, config: WebhookConfig, update: PendingUpdate, retries: dict[int, _Retry]
    ) -> None:
        assert self._session is not None, "open() must be called before webhooks are delivered"
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        try:
            async with self._session.post(config.url, json=update.to_api(), headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    bot.updates.remove(update)
                    retries.pop(update.update_id, None)
                    self._notify()
                    return
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except aiohttp.ClientConnectorError as exc:
            errno = exc.os_error.errno
            error = os.strerror(errno) if errno else "Connection failed"
        except TimeoutError:
            error = "Connection timed out"
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {type(exc).__name__}"
        logger.info("webhook delivery of update %s to bot %s failed: %s", update.update_id, bot.id, error)
        config.last_error_date = int(self.clock.time())
        config.last_error_message = error
        previous = retries.get(update.update_id)
        delay = self.retry_delay if previous is None else min(MAX_RETRY_DELAY, 2 * previous.delay)
        retries[update.update_id] = _Retry(asyncio.get_running_loop().time() + delay, delay)
        self._notify()


def _release_chat(
    in_flight: dict[int, asyncio.Task[None]], chat_key: int, wake: asyncio.Event
) -> Callable[[asyncio.Task[None]], None]:
    """Return the callback that frees a chat for its next delivery once one delivery ends."""

    def release(_: asyncio.Task[None]) -> None:
        in_flight.pop(chat_key, None)
        wake.set()

    return release
