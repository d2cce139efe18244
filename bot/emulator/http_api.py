"""The HTTP face of the emulator: `/bot<token>/<method>` and `/file/bot<token>/<path>`, like Telegram."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from bot.emulator.errors import ApiError, bad_request, not_found
from bot.emulator.methods import HANDLERS, Answer, MethodCall, accept_without_effect
from bot.emulator.methods.files import UPLOAD_LIMIT_BYTES, file_by_path
from bot.emulator.spec import ApiSpec, UploadedFile, validate_params
from bot.emulator.webhook import WebhookDispatcher
from bot.emulator.world import TelegramWorld

logger = logging.getLogger(__name__)
MAX_REQUEST_BYTES = UPLOAD_LIMIT_BYTES + 1024 * 1024
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def error_response(error: ApiError) -> web.Response:
    """Return Telegram's JSON error answer."""
    return web.json_response(error.to_payload(), status=error.error_code)


async def read_parameters(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Merge query-string and body parameters (JSON, urlencoded or multipart) like the Bot API server.

    Raises:
        ApiError: 400 for a body that is not a JSON object, 413 for an oversized request.
    """
    raw: dict[str, Any] = dict(request.query)
    uploads: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return raw, uploads
    try:
        if request.content_type == "application/json":
            body = await request.read()
            decoded = json.loads(body) if body.strip() else {}
            if not isinstance(decoded, dict):
                raise bad_request("can't parse JSON object")
            raw.update(decoded)
        elif request.content_type in _FORM_TYPES:
            for name, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    uploads[name] = UploadedFile(value.filename, value.content_type, content)
                else:
                    raw[name] = value
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "Request Entity Too Large") from None
    except ValueError:
        raise bad_request("can't parse JSON object") from None
    return raw, uploads


class BotApiRoutes:
    """Answers Bot API requests from the shared state."""

    def __init__(self, world: TelegramWorld, webhooks: WebhookDispatcher, spec: ApiSpec) -> None:
        self.world = world
        self.webhooks = webhooks
        self.spec = spec

    def add_to(self, app: web.Application) -> None:
        """Register the routes on `app`."""
        app.router.add_route("*", "/bot{token:[^/]+}/{method:[^/]*}", self.handle_method)
        app.router.add_get("/file/bot{token:[^/]+}/{path:.+}", self.handle_file)

    async def handle_method(self, request: web.Request) -> web.Response:
        """Validate and run one Bot API method call."""
        try:
            result = await self._call(request.match_info["token"], request.match_info["method"], request)
        except ApiError as error:
            return error_response(error)
        payload: dict[str, Any] = {"ok": True, "result": result.result}
        if result.description:
            payload["description"] = result.description
        return web.json_response(payload)

    async def _call(self, token: str, method_name: str, request: web.Request) -> Answer:
        bot = self.world.bot_for_token(token)
        method = self.spec.method(method_name)
        if method is None:
            raise not_found()
        key = method.name.lower()
        bot.counters.requests[method.name] += 1
        try:
            raw, uploads = await read_parameters(request)
            params = validate_params(method, raw, uploads)
            forced = self.world.faults.take_server_error(bot.id, key)
            if forced is not None:
                raise forced
            handler = HANDLERS.get(key, accept_without_effect)
            result = await handler(MethodCall(self.world, self.webhooks, bot, method.name, params))
        except ApiError as error:
            if error.error_code == 429:
                bot.counters.too_many_requests += 1
            elif error.error_code >= 500:
                bot.counters.server_errors += 1
            logger.debug("bot %s %s failed: %s", bot.id, method.name, error.description)
            raise
        return result if isinstance(result, Answer) else Answer(result)

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        """Serve a file by the path getFile answered."""
        try:
            bot = self.world.bot_for_token(request.match_info["token"])
        except ApiError as error:
            return error_response(error)
        stored = file_by_path(bot, request.match_info["path"])
        if stored is None:
            return error_response(not_found())
        return web.Response(body=stored.content, headers={"Content-Type": stored.mime_type})


async def handle_unknown_path(request: web.Request) -> web.Response:
    """Answer any other path like api.telegram.org does."""
    return error_response(not_found())
