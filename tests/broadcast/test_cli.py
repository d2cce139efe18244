"""`healthbot staff|notice|alert|broadcast` from the command line, on a real SQLite file."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.__main__ import main
from bot.db.models import Broadcast, BroadcastDelivery, StaffMember
from bot.db.session import Database
from tests.broadcast.support import linked_citizen
from tests.databases import SqliteTemplate


@pytest.fixture
def database_url(
    tmp_path: Path, sqlite_template: SqliteTemplate, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A migrated SQLite file the command line is pointed at; the root logger is restored after."""
    url = sqlite_template.copy_to(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield url
    root.handlers[:] = handlers
    root.setLevel(level)


T = TypeVar("T")


def _run(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run one unit of work on the command line's database, outside any event loop."""

    async def go() -> T:
        database = Database(url)
        try:
            async with database.unit_of_work() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(go())


def _linked(url: str, count: int) -> list[str]:
    async def work(session: AsyncSession) -> list[str]:
        people = [
            await linked_citizen(session, 500 + index, district="Cái Nước")
            for index in range(count)
        ]
        return [person.national_id or "" for person in people]

    return _run(url, work)


def _count(url: str, model: type[Any]) -> int:
    async def work(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    return _run(url, work)


def test_staff_invite_list_and_revoke(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["staff", "invite", "--role", "tracer", "--name", "Lê Thị Hoa"]) == 0
    invited = capsys.readouterr().out
    assert "one-time code:" in invited and "/staff " in invited
    assert main(["staff", "list"]) == 0
    assert "tracer" in capsys.readouterr().out.split("Lê Thị Hoa")[0].splitlines()[-1]
    assert main(["staff", "revoke", "1"]) == 0
    assert main(["staff", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["staff", "revoke", "77"]) == 2
    assert "no staff member 77" in capsys.readouterr().err
    assert _count(database_url, StaffMember) == 1


def test_notice_without_yes_previews_and_sends_nothing(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _linked(database_url, 3)
    args = [
        "notice",
        "send",
        "--template",
        "dengue",
        "--param",
        "place=Phường 5",
        "--param",
        "phone=115",
        "--audience",
        "district=cai nuoc",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "recipients through the bot: 3" in out
    assert "--- ភាសាខ្មែរ (km) ---" in out and "ជំងឺគ្រុនឈាម" in out and "<b>" not in out
    assert "nothing sent" in out
    assert _count(database_url, Broadcast) == 0
    assert main([*args, "--yes"]) == 0
    out = capsys.readouterr().out
    broadcast_id = out.strip().splitlines()[-1]
    assert broadcast_id.isdigit() and "3 to send" in out
    assert _count(database_url, BroadcastDelivery) == 3
    assert main(["broadcast", "status", broadcast_id]) == 0
    status = capsys.readouterr().out
    assert f"Notice #{broadcast_id} — sending" in status and "Pending: 3" in status
    assert main(["broadcast", "cancel", broadcast_id]) == 0
    assert main(["broadcast", "cancel", broadcast_id]) == 1
    assert main(["broadcast", "status", broadcast_id]) == 0
    assert "Not sent (cancelled): 3" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--template", "dengue", "--param", "place=X", "--audience", "all"],
            "missing parameters: phone",
        ),
        (
            [
                "--template",
                "dengue",
                "--param",
                "place=X",
                "--param",
                "phone=12",
                "--audience",
                "all",
            ],
            "phone: bad phone",
        ),
        (
            ["--template", "dengue", "--param", "colour=red", "--audience", "all"],
            "unknown parameter 'colour'",
        ),
        (["--template", "free", "--audience", "all"], "--text"),
        (["--template", "free", "--text", "Hi", "--audience", "age=old"], "age band"),
        (["--template", "free", "--text", "Hi", "--audience", "all", "--at", "soon"], "--at"),
        (
            ["--template", "free", "--text", "Hi", "--audience", "cccd-file=/nonexistent.csv"],
            "cannot read",
        ),
    ],
)
def test_bad_notice_arguments_exit_2_with_one_line(
    database_url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["notice", "send", *args, "--yes"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("healthbot: ")
    assert _count(database_url, Broadcast) == 0


def test_scheduled_urgent_free_text_notice(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _linked(database_url, 1)
    assert (
        main(
            [
                "notice",
                "send",
                "--template",
                "free",
                "--text",
                "Nghỉ lễ",
                "--audience",
                "all",
                "--at",
                "2099-01-01 07:30",
                "--urgent",
                "--yes",
            ]
        )
        == 0
    )
    broadcast_id = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["broadcast", "status", broadcast_id]) == 0
    assert "scheduled" in capsys.readouterr().out


def test_alert_from_a_contacts_file_and_its_export(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [reachable] = _linked(database_url, 1)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"cccd\n{reachable}\n096185000999\n12\n", encoding="utf-8")
    args = [
        "alert",
        "send",
        "--contacts-file",
        str(contacts),
        "--param",
        "disease=Sởi",
        "--param",
        "phone=115",
    ]
    assert main([*args, "--yes"]) == 0
    captured = capsys.readouterr()
    assert "line 4" in captured.err and "skipped" in captured.err
    broadcast_id = captured.out.strip().splitlines()[-1]
    out_file = tmp_path / "export.csv"
    assert main(["alert", "export", broadcast_id, "--out", str(out_file)]) == 0
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8-sig"))))
    assert [(r["category"], r["national_id"], r["answer_or_reason"]) for r in rows] == [
        ("unreachable", "096185000999", "not_found")
    ]
    assert main(["alert", "export", "999"]) == 2


def test_place_alert_needs_an_area_and_a_time_range(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _linked(database_url, 2)
    base = [
        "alert",
        "send",
        "--place",
        "Chợ Cà Mau",
        "--from",
        "2026-11-20 08:00",
        "--param",
        "disease=Cúm",
        "--param",
        "phone=115",
    ]
    assert main([*base, "--to", "2026-11-20 10:00", "--audience", "age=5-10", "--yes"]) == 2
    assert "goes to an area" in capsys.readouterr().err
    assert main([*base, "--to", "2026-11-20 07:00", "--audience", "all", "--yes"]) == 2
    assert "end before start" in capsys.readouterr().err
    assert main([*base, "--to", "2026-11-20 10:00", "--audience", "all"]) == 0
    assert "[📍 I was there]" in capsys.readouterr().out
    assert main(["alert", "send", "--place", "Chợ"]) == 2
