"""The machine-readable Bot API specification and request validation against it.

The specification (`data/telegram-bot-api-10.1.min.json`) comes from the MIT-licensed project
PaulSonOfLars/telegram-bot-api-spec (licence in `data/LICENSE.telegram-bot-api-spec`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from bot.emulator.errors import QUERY_ID_INVALID, ApiError, bad_request

SPEC_FILE = "telegram-bot-api-10.1.min.json"
_INTEGER = re.compile(r"^\s*[+-]?\d{1,19}\s*$")
_TRUE_WORDS = frozenset({"true", "1"})
_FALSE_WORDS = frozenset({"false", "0", ""})
_MISSING_FIELD_MESSAGES = {
    "text": "message text is empty",
    "chat_id": "chat_id is empty",
    "message_id": "message identifier is not specified",
    "document": "there is no document in the request",
    "file_id": "file_id not specified",
    "callback_query_id": QUERY_ID_INVALID,
}
_JSON_OBJECT_NAMES = {
    "reply_markup": "reply keyboard markup",
    "commands": "commands",
    "scope": "BotCommandScope",
}


@dataclass(frozen=True)
class UploadedFile:
    """A file sent in a multipart/form-data request."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a Bot API method."""

    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class MethodSpec:
    """A Bot API method: its exact name, parameters and return types."""

    name: str
    fields: tuple[FieldSpec, ...]
    returns: tuple[str, ...]


class ApiSpec:
    """Methods of the Bot API, looked up case-insensitively like the Bot API server does."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.version: str = str(raw.get("version", ""))
        self._methods: dict[str, MethodSpec] = {}
        for name, method in raw["methods"].items():
            fields = tuple(
                FieldSpec(field["name"], tuple(field["types"]), bool(field["required"]))
                for field in method.get("fields", [])
            )
            self._methods[name.lower()] = MethodSpec(name, fields, tuple(method.get("returns", [])))

    def method(self, name: str) -> MethodSpec | None:
        """Return the method called `name` (any letter case), or None if the Bot API has none."""
        return self._methods.get(name.lower())

    @property
    def method_names(self) -> list[str]:
        """Return the exact names of every method in the specification."""
        return [method.name for method in self._methods.values()]


@cache
def load_spec() -> ApiSpec:
    """Load the bundled Bot API specification (cached: it never changes at run time)."""
    text = resources.files("bot.emulator").joinpath("data", SPEC_FILE).read_text(encoding="utf-8")
    return ApiSpec(json.loads(text))


def validate_params(
    method: MethodSpec, raw: Mapping[str, Any], uploads: Mapping[str, UploadedFile]
) -> dict[str, Any]:
    """Check `raw` request parameters against `method` and convert them to Python values.

    Unknown parameters are dropped, as Telegram ignores them. Empty values count as absent.

    Raises:
        ApiError: 400 when a required parameter is missing or a value has the wrong type.
    """
    params: dict[str, Any] = {}
    for field in method.fields:
        value = raw.get(field.name)
        if value is None and field.name in uploads:
            value = uploads[field.name]
        if value is None or value == "":
            if field.required:
                raise bad_request(_MISSING_FIELD_MESSAGES.get(field.name, f"{field.name} is empty"))
            continue
        params[field.name] = _coerce_field(field, value, uploads)
    return params


def _coerce_field(field: FieldSpec, value: Any, uploads: Mapping[str, UploadedFile]) -> Any:
    for type_name in field.types:
        try:
            return _coerce(type_name, value, field.name, uploads)
        except _WrongTypeError:
            continue
    expected = " or ".join(field.types)
    raise bad_request(f'field "{field.name}" must be of type {expected}')


class _WrongTypeError(Exception):
    """The value does not fit the type being tried."""


def _coerce(type_name: str, value: Any, field_name: str, uploads: Mapping[str, UploadedFile]) -> Any:
    if type_name.startswith("Array of "):
        items = _decode_json(value, field_name)
        if not isinstance(items, list):
            raise _WrongTypeError
        item_type = type_name.removeprefix("Array of ")
        return [_coerce(item_type, item, field_name, uploads) for item in items]
    coercer = _PRIMITIVES.get(type_name)
    if coercer is not None:
        return coercer(value)
    if type_name == "InputFile":
        return _coerce_input_file(value, uploads)
    decoded = _decode_json(value, field_name)
    if not isinstance(decoded, dict):
        raise _WrongTypeError
    return decoded


def _decode_json(value: Any, field_name: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        what = _JSON_OBJECT_NAMES.get(field_name, field_name)
        raise bad_request(f"can't parse {what} JSON object") from None


def _coerce_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise _WrongTypeError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    raise _WrongTypeError


def _coerce_float(value: Any) -> float:
    if isinstance(value, bool):
        raise _WrongTypeError
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise _WrongTypeError from None
    raise _WrongTypeError


def _coerce_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        return value.strip().lower() in _TRUE_WORDS
    raise _WrongTypeError


def _coerce_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise _WrongTypeError


def _coerce_input_file(value: Any, uploads: Mapping[str, UploadedFile]) -> UploadedFile | str:
    if isinstance(value, UploadedFile):
        return value
    if isinstance(value, str) and value.startswith("attach://"):
        attached = uploads.get(value.removeprefix("attach://"))
        if attached is None:
            raise ApiError(400, "Bad Request: wrong HTTP URL specified")
        return attached
    if isinstance(value, str):
        return value
    raise _WrongTypeError


_PRIMITIVES = {
    "Integer": _coerce_integer,
    "Float": _coerce_float,
    "Boolean": _coerce_boolean,
    "String": _coerce_string,
}
