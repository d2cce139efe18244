"""`healthbot audit --citizen CCCD`: the full access trail of one citizen, for staff answering a
request (who signed in as them, who looked at which part of their record, consent given and
withdrawn)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.log import trail
from bot.cli.support import configure_logging
from bot.clock import SystemClock
from bot.db.migrate import upgrade_blocking
from bot.db.models import AuditEntry, Citizen
from bot.db.session import Database
from bot.i18n import Catalogs
from bot.identity.cccd import CccdProblem, mask_id, parse_cccd
from bot.settings import load_settings
from bot.views.signin import id_problem

EXIT_NOT_FOUND = 1
CLI_LOCALE = "en"
COLUMNS = ("when", "action", "outcome", "section", "actor", "telegram id", "citizen", "detail")


async def _find_citizen(session: AsyncSession, national_id: str) -> Citizen | None:
    return await session.scalar(select(Citizen).where(Citizen.national_id == national_id))


async def _load(database_url: str, national_id: str) -> tuple[Citizen, list[AuditEntry]] | None:
    """The citizen with this CCCD and every audit entry about or by them; None if unknown."""
    database = Database(database_url)
    try:
        async with database.unit_of_work() as session:
            citizen = await _find_citizen(session, national_id)
            if citizen is None:
                return None
            return citizen, await trail(session, citizen.id)
    finally:
        await database.dispose()


def _cell(value: object) -> str:
    return "-" if value is None else " ".join(str(value).split())


def _row(entry: AuditEntry, zone: tzinfo) -> tuple[str, ...]:
    return (
        entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
        _cell(entry.action),
        _cell(entry.outcome),
        _cell(entry.section),
        _cell(entry.actor_kind),
        _cell(entry.actor_telegram_id),
        _cell(entry.actor_citizen_id),
        _cell(entry.detail),
    )


def format_table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows under the column names, each column as wide as its widest cell (the last unpadded)."""
    table = [COLUMNS, *rows]
    widths = [max(len(row[index]) for row in table) for index in range(len(COLUMNS) - 1)]
    return [
        "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]]).rstrip()
        for row in table
    ]


def run(args: argparse.Namespace) -> int:
    """Migrate, check the CCCD, print the citizen's trail; exit 1 if malformed or unknown."""
    settings = load_settings()
    configure_logging(settings.log_level)
    upgrade_blocking(settings.database_url)
    today = SystemClock().now().astimezone(settings.zone).date()
    checked = parse_cccd(args.citizen, today)
    if isinstance(checked, CccdProblem):
        english = Catalogs(zone=settings.zone, default=settings.default_locale).get(CLI_LOCALE)
        print(f"healthbot: not a valid CCCD: {id_problem(english, checked)}", file=sys.stderr)
        return EXIT_NOT_FOUND
    found = asyncio.run(_load(settings.database_url, checked.number))
    if found is None:
        print(f"healthbot: no citizen with CCCD {mask_id(checked.number)}", file=sys.stderr)
        return EXIT_NOT_FOUND
    citizen, entries = found
    print(
        f"Audit trail of citizen #{citizen.id} {citizen.full_name} "
        f"(CCCD {mask_id(checked.number)}): {len(entries)} entries, times in {settings.timezone}"
    )
    for line in format_table([_row(entry, settings.zone) for entry in entries]):
        print(line)
    return 0


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the subcommand."""
    parser = subparsers.add_parser(
        "audit", help="print the full access trail of a citizen (for staff answering a request)"
    )
    parser.add_argument("--citizen", required=True, metavar="CCCD", help="the 12-digit citizen ID")
    parser.set_defaults(handler=run)
