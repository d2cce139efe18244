"""`healthbot import xml130 PATH...`: import insurance-portal XML 130 submissions."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.cli.support import bulk_allocation_gc, configure_logging
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.ingest.xml130.importer import import_paths
from bot.ingest.xml130.report import Xml130Report
from bot.settings import load_settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register `xml130` under `import`."""
    parser = subparsers.add_parser(
        "xml130",
        help="import QĐ 130 insurance XML submissions (files, folders, .zip archives)",
        description=(
            "Import GIAMDINHHS submission files (QĐ 130/QĐ-BYT as amended by QĐ 4750 and "
            "QĐ 3176). Folders are searched recursively for .xml and .zip files. Exits 1 when "
            "any file or HOSO was rejected; the rest is imported."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file, folder or .zip")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar or periodic progress lines"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Migrate the configured database, import, print the summary; 1 if anything was rejected."""
    settings = load_settings()
    configure_logging(settings.log_level)
    with bulk_allocation_gc():
        report = asyncio.run(_import(settings.database_url, args.paths, not args.no_progress))
    print_summary(report)
    return 0 if report.ok else 1


async def _import(url: str, paths: list[Path], progress: bool) -> Xml130Report:
    await upgrade(url)
    db = Database(url)
    try:
        return await import_paths(db, paths, progress=progress)
    finally:
        await db.dispose()


def print_summary(report: Xml130Report) -> None:
    """The summary on stdout."""
    for line in report.summary_lines():
        print(f"healthbot import xml130: {line}", file=sys.stdout)
