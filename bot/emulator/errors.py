"""Errors answered by the emulated Bot API, worded exactly like Telegram's."""

from __future__ import annotations

from typing import Any

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as "
    "a current content and reply markup of the message"
)
QUERY_ID_INVALID = "query is too old and response timeout expired or query ID is invalid"
POLL_CONFLICT = "terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)


class ApiError(Exception):
    """A failed Bot API call: HTTP status, Telegram's description and optional retry delay."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            payload["parameters"] = {"retry_after": self.retry_after}
        return payload


def bad_request(detail: str) -> ApiError:
    """Return a 400 error; `detail` is the text after `Bad Request: `."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """Return a 403 error; `detail` is the text after `Forbidden: `."""
    return ApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> ApiError:
    """Return a 409 error; `detail` is the text after `Conflict: `."""
    return ApiError(409, f"Conflict: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return the 429 flood-control error with its `retry_after` parameter."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def not_found() -> ApiError:
    """Return the 404 answered for an unknown method or path."""
    return ApiError(404, "Not Found")


def unauthorized() -> ApiError:
    """Return the 401 answered for a malformed or revoked token."""
    return ApiError(401, "Unauthorized")


def chat_not_found() -> ApiError:
    """Return the error for a chat the bot cannot see."""
    return bad_request("chat not found")


def bot_blocked() -> ApiError:
    """Return the error for a user who blocked the bot."""
    return forbidden("bot was blocked by the user")


def td_error(message: str) -> ApiError:
    """Return a 400 built from a tdlib-style message, first letter lowered like the Bot API server does."""
    if len(message) >= 2 and (message[1] == "_" or message[1].isupper()):
        return bad_request(message)
    return bad_request(message[:1].lower() + message[1:])


class DriverError(Exception):
    """A test or demo asked an emulated user to do something a Telegram client could not do."""
