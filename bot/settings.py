"""Settings read from the environment or a `.env` file, validated at start-up."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("vi", "en", "km", "bn")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/healthbot.sqlite3"
_TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Settings(BaseSettings):
    """Every setting of the bot; see `.env.example` for their meaning."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_rate_limit_per_second: float = Field(default=30.0, ge=0)
    telegram_connection_pool_size: int = Field(default=16, ge=1)
    telegram_pool_timeout_seconds: float = Field(default=30.0, gt=0)
    telegram_mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    default_locale: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    session_days: int = Field(default=30, ge=1, le=3650)
    identifier_salt: SecretStr = SecretStr("healthbot-default-salt")
    broadcast_rate_per_second: float = Field(default=25.0, gt=0, le=1000)
    broadcast_allow_paid: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    demo_citizens: int = Field(default=200, ge=1, le=1_000_000)
    demo_seed: int = 1
    emulator_port: int = Field(default=0, ge=0, le=65535)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_PATTERN.match(value.get_secret_value()):
            raise ValueError("expected the form 123456789:AAH... given by @BotFather")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("expected a URL such as http://127.0.0.1:8081/bot")
        return value

    @field_validator("webhook_secret_token")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("use 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "expected sqlite+aiosqlite:///path.sqlite3 or postgresql+asyncpg://user@host/db"
            )
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale_supported(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"expected one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_known(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError("unknown time zone, e.g. Asia/Ho_Chi_Minh") from error
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    @property
    def offline_demo(self) -> bool:
        """True when no token is set: the bot runs against the built-in emulator."""
        return self.telegram_bot_token is None

    def sqlite_path(self) -> Path | None:
        """The SQLite file of `database_url`, or None for another database."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        return Path(self.database_url[len(prefix) :].split("?", 1)[0])


def format_errors(error: ValidationError) -> list[str]:
    """One line per invalid setting, naming the environment variable."""
    lines = []
    for item in error.errors():
        name = str(item["loc"][0]).upper() if item["loc"] else "SETTINGS"
        message = str(item["msg"]).removeprefix("Value error, ")
        lines.append(f"{name}: {message}")
    return lines


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; print one line per bad value and exit 2 on error."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        for line in format_errors(error):
            print(f"healthbot: invalid setting {line}", file=sys.stderr)
        raise SystemExit(2) from None
