"""JSON driver API under `/_driver/...`, for benchmarks and tools running in another process.

    POST /_driver/bots                      {"token"}                       register a bot before it connects
    POST /_driver/users/{id}/send           {"text", profile..., "bot_id"}  -> {"message_id"}
    POST /_driver/users/{id}/press          {"button", "message_id"?}       -> {"callback_query_id"}
    POST /_driver/users/{id}/contact        {"phone_number", "own"?}        -> {"message_id"}
    POST /_driver/users/{id}/block | unblock
    GET  /_driver/users/{id}/messages?after=ID&count=N&timeout=S   bot messages with id > after, long-polled
    GET  /_driver/counters?bot_id=ID
    PUT  /_driver/flood-limits              FloodLimits fields

Profile fields (first_name, last_name, username, language_code) may accompany any user action.
Answers are {"ok": true, ...} or, for a request a client could not make, 400 {"ok": false, "error": "..."}.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.emulator.driver import EmulatedUser, message_to_driver_json
from bot.emulator.errors import ApiError, DriverError
from bot.emulator.flood import FloodLimits
from bot.emulator.world import TelegramWorld

_PROFILE_FIELDS = ("first_name", "last_name", "username", "language_code")
MAX_WAIT_SECONDS = 60.0
_Handler = Callable[[web.Request], Awaitable[web.Response]]


class DriverRoutes:
    """HTTP handlers that play users, sharing state with the Bot API routes."""

    def __init__(self, world: TelegramWorld) -> None:
        self.world = world

    def add_to(self, app: web.Application) -> None:
        """Register the driver routes on `app`."""
        routes = [
            web.post("/_driver/bots", self._guarded(self.register_bot)),
            web.post("/_driver/users/{user_id:\\d+}/send", self._guarded(self.send)),
            web.post("/_driver/users/{user_id:\\d+}/press", self._guarded(self.press)),
            web.post("/_driver/users/{user_id:\\d+}/contact", self._guarded(self.share_contact)),
            web.post("/_driver/users/{user_id:\\d+}/block", self._guarded(self.block)),
            web.post("/_driver/users/{user_id:\\d+}/unblock", self._guarded(self.unblock)),
            web.get("/_driver/users/{user_id:\\d+}/messages", self._guarded(self.messages)),
            web.get("/_driver/counters", self._guarded(self.counters)),
            web.put("/_driver/flood-limits", self._guarded(self.set_flood_limits)),
        ]
        app.router.add_routes(routes)

    @staticmethod
    def _guarded(handler: _Handler) -> _Handler:
        async def guarded(request: web.Request) -> web.Response:
            try:
                return await handler(request)
            except (DriverError, ApiError, KeyError, TypeError, ValueError) as error:
                return web.json_response(
                    {"ok": False, "error": f"{type(error).__name__}: {error}"}, status=400
                )

        return guarded

    async def _user(self, request: web.Request) -> tuple[EmulatedUser, dict[str, Any]]:
        body: dict[str, Any] = await request.json() if request.body_exists else {}
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        profile = {name: body.get(name) for name in _PROFILE_FIELDS}
        user = self.world.ensure_user(int(request.match_info["user_id"]), **profile)
        bot_id = body.get("bot_id", request.query.get("bot_id"))
        return EmulatedUser(self.world, user, int(bot_id) if bot_id is not None else None), body

    async def register_bot(self, request: web.Request) -> web.Response:
        """Make a bot known by its token, so users can write to it before it connects."""
        body = await request.json()
        bot = self.world.bot_for_token(str(body["token"]))
        return web.json_response({"ok": True, "id": bot.id})

    async def send(self, request: web.Request) -> web.Response:
        """The user sends a text or command."""
        user, body = await self._user(request)
        message = await user.send(str(body["text"]))
        return web.json_response({"ok": True, "message_id": message.message_id})

    async def press(self, request: web.Request) -> web.Response:
        """The user presses an inline button, by text or callback_data."""
        user, body = await self._user(request)
        query = await user.press(str(body["button"]), body.get("message_id"))
        return web.json_response({"ok": True, "callback_query_id": query.id, "message_id": query.message_id})

    async def share_contact(self, request: web.Request) -> web.Response:
        """The user shares a contact (their own unless own is false)."""
        user, body = await self._user(request)
        message = await user.share_contact(str(body["phone_number"]), own=body.get("own", True) is True)
        return web.json_response({"ok": True, "message_id": message.message_id})

    async def block(self, request: web.Request) -> web.Response:
        """The user blocks the bot."""
        user, _ = await self._user(request)
        await user.block()
        return web.json_response({"ok": True})

    async def unblock(self, request: web.Request) -> web.Response:
        """The user unblocks the bot."""
        user, _ = await self._user(request)
        await user.unblock()
        return web.json_response({"ok": True})

    async def messages(self, request: web.Request) -> web.Response:
        """Bot messages in the user's chat with id > after; waits up to timeout for `count` of them."""
        user, _ = await self._user(request)
        after = int(request.query.get("after", "0"))
        count = int(request.query.get("count", "0"))
        timeout = min(float(request.query.get("timeout", "0")), MAX_WAIT_SECONDS)

        def newer() -> list[Any]:
            return [message for message in user.messages if message.message_id > after]

        await self.world.changes.wait_until(lambda: len(newer()) >= count, timeout)
        return web.json_response({"ok": True, "messages": [message_to_driver_json(m) for m in newer()]})

    async def counters(self, request: web.Request) -> web.Response:
        """Counters of one bot (or the only one)."""
        bot_id = request.query.get("bot_id")
        bot = self.world.resolve_bot(int(bot_id) if bot_id is not None else None)
        return web.json_response({"ok": True, "bot_id": bot.id, "counters": bot.counters.to_api()})

    async def set_flood_limits(self, request: web.Request) -> web.Response:
        """Replace the flood limits, e.g. {"enabled": false} for throughput benchmarks."""
        body = await request.json()
        limits = FloodLimits(**body)
        self.world.flood.limits = limits
        return web.json_response({"ok": True, "limits": dataclasses.asdict(limits)})
