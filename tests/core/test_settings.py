"""Settings: defaults, validation, one clear line per bad value and exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.aiohttp_request import AiohttpRequest
from bot.app import build_application
from bot.settings import Settings, load_settings

BAD_VALUES = {
    "TELEGRAM_BOT_TOKEN": "not-a-token",
    "DATABASE_URL": "mysql://x",
    "DEFAULT_LOCALE": "fr",
    "TIMEZONE": "Mars/Olympus",
    "TELEGRAM_API_BASE_URL": "ftp:/nowhere",
    "SESSION_DAYS": "0",
    "TELEGRAM_RATE_LIMIT_PER_SECOND": "-1",
    "TELEGRAM_CONNECTION_POOL_SIZE": "0",
    "TELEGRAM_POOL_TIMEOUT_SECONDS": "0",
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in list(BAD_VALUES) + ["TELEGRAM_MODE", "WEBHOOK_URL"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env


def test_defaults_are_an_offline_demo_on_sqlite() -> None:
    settings = Settings()
    assert settings.offline_demo
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.default_locale == "vi"
    assert settings.zone.key == "Asia/Ho_Chi_Minh"
    assert settings.session_days == 30
    assert settings.telegram_rate_limit_per_second == 30


def test_replies_share_a_small_connection_pool_and_wait_for_a_free_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The replies' HTTP client keeps at most that many connections and waits that long for one."""
    assert (Settings().telegram_connection_pool_size, Settings().telegram_pool_timeout_seconds) == (16, 30)
    monkeypatch.setenv("TELEGRAM_CONNECTION_POOL_SIZE", "8")
    monkeypatch.setenv("TELEGRAM_POOL_TIMEOUT_SECONDS", "12.5")

    request = build_application(Settings()).bot.request

    assert isinstance(request, AiohttpRequest)
    assert (request.connections, request.pool_timeout) == (8, 12.5)


def test_empty_token_means_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "  ")
    assert Settings().offline_demo


def test_valid_token_and_postgres(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://u@h/db")
    settings = Settings()
    assert not settings.offline_demo
    assert settings.sqlite_path() is None


@pytest.mark.parametrize("name", sorted(BAD_VALUES))
def test_each_bad_value_stops_with_one_line(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(name, BAD_VALUES[name])
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert stopped.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]


def test_command_line_reports_every_bad_value_without_traceback(tmp_path: object) -> None:
    env = {"PATH": "/usr/bin:/bin", "DEFAULT_LOCALE": "fr", "DATABASE_URL": "mysql://x"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], env=env, capture_output=True, text=True, cwd=str(tmp_path)
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert sorted(line.split()[3].rstrip(":") for line in lines) == ["DATABASE_URL", "DEFAULT_LOCALE"]
