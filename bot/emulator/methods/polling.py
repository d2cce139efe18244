"""getUpdates, setWebhook, deleteWebhook and getWebhookInfo."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from bot.emulator.errors import WEBHOOK_ACTIVE, bad_request, conflict
from bot.emulator.methods.base import Answer, Handler, MethodCall, clamp
from bot.emulator.state import WebhookConfig

LONG_POLL_MAX_TIMEOUT = 50
DEFAULT_MAX_CONNECTIONS = 40
SECURE_WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]*$")


def _apply_allowed_updates(call: MethodCall) -> None:
    if "allowed_updates" in call.params:
        call.bot.updates.allowed_updates = tuple(str(kind) for kind in call.params["allowed_updates"])


async def get_updates(call: MethodCall) -> list[dict[str, Any]]:
    """getUpdates with offset confirmation, limit 1-100 and long polling up to 50 seconds."""
    if call.bot.webhook is not None:
        raise conflict(WEBHOOK_ACTIVE)
    queue = call.bot.updates
    limit = clamp(call.params.get("limit", 100), 1, 100)
    timeout = clamp(call.params.get("timeout", 0), 0, LONG_POLL_MAX_TIMEOUT)
    _apply_allowed_updates(call)
    queue.confirm(call.params.get("offset", 0))
    updates = queue.take(limit)
    if not updates and timeout > 0:
        await queue.long_poll(timeout)
        updates = queue.take(limit)
    return [update.to_api() for update in updates]


def _check_webhook_url(call: MethodCall, url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise bad_request("invalid webhook URL specified") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("invalid webhook URL specified")
    if call.webhooks.secure_only:
        if parts.scheme != "https":
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if (port or 443) not in SECURE_WEBHOOK_PORTS:
            raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")


async def set_webhook(call: MethodCall) -> Answer:
    """setWebhook; an empty url removes the webhook like deleteWebhook."""
    params = call.params
    url = params.get("url", "")
    if not url:
        return await delete_webhook(call)
    _check_webhook_url(call, url)
    secret_token = params.get("secret_token")
    if secret_token is not None and len(secret_token) > 256:
        raise bad_request("secret token is too long")
    if secret_token is not None and not _SECRET_TOKEN.match(secret_token):
        raise bad_request("secret token contains unallowed characters")
    config = WebhookConfig(
        url, secret_token, clamp(params.get("max_connections", DEFAULT_MAX_CONNECTIONS), 1, 100)
    )
    _apply_allowed_updates(call)
    current = call.bot.webhook
    drop = params.get("drop_pending_updates") is True
    if (
        current is not None
        and not drop
        and (current.url, current.secret_token, current.max_connections)
        == (
            config.url,
            config.secret_token,
            config.max_connections,
        )
    ):
        return Answer(True, "Webhook is already set")
    if drop:
        call.bot.updates.clear()
    call.bot.updates.abort_poll("terminated by setWebhook request")
    call.bot.webhook = config
    call.webhooks.restart(call.bot)
    return Answer(True, "Webhook was set")


async def delete_webhook(call: MethodCall) -> Answer:
    """deleteWebhook, optionally dropping pending updates."""
    if call.params.get("drop_pending_updates") is True:
        call.bot.updates.clear()
    if call.bot.webhook is None:
        return Answer(True, "Webhook is already deleted")
    call.bot.webhook = None
    call.webhooks.restart(call.bot)
    return Answer(True, "Webhook was deleted")


async def get_webhook_info(call: MethodCall) -> dict[str, Any]:
    """getWebhookInfo."""
    webhook = call.bot.webhook
    info: dict[str, Any] = {
        "url": webhook.url if webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(call.bot.updates.pending),
    }
    if webhook is not None:
        info["max_connections"] = webhook.max_connections
        info["ip_address"] = "127.0.0.1"
        if webhook.last_error_date is not None:
            info["last_error_date"] = webhook.last_error_date
            info["last_error_message"] = webhook.last_error_message
        if call.bot.updates.allowed_updates:
            info["allowed_updates"] = list(call.bot.updates.allowed_updates)
    return info


HANDLERS: dict[str, Handler] = {
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
}
